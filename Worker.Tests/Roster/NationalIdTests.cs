using CollectionWorker.Sheets;
using CollectionWorker.Roster;

namespace CollectionWorker.Tests.Roster;

public class NationalIdTests
{
    [Theory]
    [InlineData("11010519491231002X", true, "1949-12-31", false)] // the standard's own example, check character X
    [InlineData("44060520010203001X", true, "2001-02-03", true)]
    [InlineData("440605200102030028", true, "2001-02-03", false)]
    public void Valid_numbers_pass_with_birth_date_and_gender(string id, bool ok, string birth, bool male)
    {
        Assert.Equal(ok, NationalId.TryValidate(id, out var date, out var isMale, out _, out _));
        Assert.Equal(DateOnly.Parse(birth), date);
        Assert.Equal(male, isMale);
    }

    [Fact]
    public void A_wrong_check_digit_is_named_with_the_expected_one()
    {
        Assert.False(NationalId.TryValidate("110105194912310021", out _, out _, out var zh, out var en));
        Assert.Contains("expected X, found 1", en);
        Assert.Contains("校验位", zh);
    }

    [Theory]
    [InlineData("11010519491231002", "18 characters")]
    [InlineData("110105194912310", "15-digit")]
    [InlineData("1101051949123100AX", "character 17")]
    [InlineData("110105194913310023", "not a valid date")]
    [InlineData("11010519491231002Y", "last character")]
    [InlineData("440524188001010014", "not a valid date")] // valid check digit, but nobody graduating now was born in 1880
    public void Malformed_numbers_are_explained(string id, string expected)
    {
        Assert.False(NationalId.TryValidate(id, out _, out _, out _, out var en));
        Assert.Contains(expected, en);
    }

    [Fact]
    public void Normalise_makes_full_width_and_lower_case_x_canonical()
    {
        Assert.Equal("11010519491231002X", NationalId.Normalise(" １１０１０５１９４９１２３１００２ｘ "));
        Assert.Equal("11010519491231002X", NationalId.Normalise("11010519491231002x"));
    }

    [Fact]
    public void Mask_shows_only_the_ends()
    {
        Assert.Equal("110105********002X", NationalId.Mask("11010519491231002X"));
    }
}
