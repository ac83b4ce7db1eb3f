using CollectionWorker.Logging;
using Xunit;

namespace CollectionWorker.Tests.Logging;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("Intake 440605200304272623.jpg: Unmatched", "Intake 440605********2623.jpg: Unmatched")]
    [InlineData("id 44060520030427262X and 44060520030427262x", "id 440605********262X and 440605********262x")]
    [InlineData("张三440605200304272623_王", "张三440605********2623_王")]
    [InlineData("a,440605200304272623,440605200304272624", "a,440605********2623,440605********2624")]
    public void Masks_every_id_number_standing_on_its_own(string text, string expected) =>
        Assert.Equal(expected, LogText.Clean(text));

    [Theory]
    // A hash or a longer number is not an ID number, even when it holds 18 digits in a row.
    [InlineData("sha256 ab440605200304272623cd")]
    [InlineData("4406052003042726231")]
    [InlineData("student 2020000001")]
    public void Leaves_other_numbers_alone(string text) => Assert.Equal(text, LogText.Clean(text));

    [Fact]
    public void Escapes_terminal_control_characters_and_bidi_overrides()
    {
        var cleaned = LogText.Clean("evil\u001b[2J\u001b]0;pwned\u0007name\r\u202Egpj.exe");
        Assert.DoesNotContain('\u001b', cleaned);
        Assert.DoesNotContain('\r', cleaned);
        Assert.DoesNotContain('\u202E', cleaned);
        Assert.Equal("evil\\u001B[2J\\u001B]0;pwned\\u0007name\\u000D\\u202Egpj.exe", cleaned);
    }

    [Fact]
    public void A_message_keeps_its_line_breaks_but_a_name_does_not()
    {
        Assert.Equal("line 1\nline 2", LogText.Clean("line 1\nline 2"));
        Assert.Equal("a\\u000Afake line.jpg", LogText.Name("a\nfake line.jpg"));
    }
}
