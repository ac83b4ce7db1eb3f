using CollectionWorker.Sheets;
using CollectionWorker.Roster;

namespace CollectionWorker.Tests.Support;

/// <summary>Makes valid 18-digit ID numbers (with a correct check character) for test students.</summary>
public static class TestIds
{
    /// <summary>The 17th digit is odd for men, even for women.</summary>
    public static string Make(DateOnly birth, int sequence, bool male, string area = "440605")
    {
        var seq = sequence % 500 * 2 + (male ? 1 : 0);
        var first17 = $"{area}{birth:yyyyMMdd}{seq:000}";
        return first17 + NationalId.ComputeCheckChar(first17);
    }

    /// <summary>A unique valid ID for student i (unique for any i below 10 million).</summary>
    public static string ForStudent(int i, DateOnly birth, bool male) => Make(birth, i, male, $"44{i / 1000 % 10000:0000}");
}
