using System.Data.Common;
using Dapper;

namespace CollectionWorker.Intake;

/// <summary>
/// One photo uploaded for several students: the group is simply the photo's content (its SHA-256),
/// read when it is shown, so the store holds nothing per pair and 1,000 copies cost 1,000 rows, not
/// a million flags. Each submission of a group gets one short line naming how many other students
/// share the photo and the first few of their student numbers.
/// </summary>
public static class SamePhotoGroups
{
    /// <summary>How many other students' numbers a summary names.</summary>
    public const int NamedNumbers = 5;

    /// <summary>
    /// The summary for every submission matching <paramref name="submissionFilter"/> (SQL over alias
    /// <c>sub</c>) whose photo was also uploaded for another student.
    /// </summary>
    public static async Task<Dictionary<long, string>> SummariesAsync(DbConnection c, string submissionFilter)
    {
        var shown = (await c.QueryAsync<(long Id, string Sha256, long StudentId)>(
            $"""
             SELECT sub.id, sub.sha256, sub.student_id FROM submissions sub
             WHERE {submissionFilter}
               AND EXISTS (SELECT 1 FROM submissions o WHERE o.sha256 = sub.sha256 AND o.student_id <> sub.student_id)
             """)).ToList();
        var result = new Dictionary<long, string>();
        if (shown.Count == 0) return result;

        // Every student of each shown photo once, in the order they first uploaded it.
        var members = (await c.QueryAsync<(string Sha256, long StudentId, string Number)>(
                """
                SELECT sub.sha256, sub.student_id, s.student_number FROM submissions sub JOIN students s ON s.id = sub.student_id
                WHERE sub.sha256 IN (SELECT value FROM json_each(@hashes))
                GROUP BY sub.sha256, sub.student_id, s.student_number ORDER BY sub.sha256, min(sub.id)
                """, new { hashes = System.Text.Json.JsonSerializer.Serialize(shown.Select(s => s.Sha256).Distinct()) }))
            .GroupBy(m => m.Sha256)
            .ToDictionary(g => g.Key, g => g.Select(m => (m.StudentId, m.Number)).ToList());
        foreach (var s in shown)
        {
            var others = members[s.Sha256].Where(m => m.StudentId != s.StudentId).Select(m => m.Number).ToList();
            result[s.Id] = Summary(others.Count, others.Take(NamedNumbers).ToList());
        }
        return result;
    }

    /// <summary>Bounded whatever the group's size: the count and at most <see cref="NamedNumbers"/> student numbers.</summary>
    public static string Summary(int otherStudents, IReadOnlyList<string> firstNumbers)
    {
        var more = otherStudents > firstNumbers.Count;
        return $"同一照片也作为另外 {otherStudents} 名学生的照片提交（学号 {string.Join("、", firstNumbers)}{(more ? " 等" : "")}）：请核对是否一张照片用于多人" +
               $" / the same photo was also submitted for {otherStudents} other student(s) ({string.Join(", ", firstNumbers)}{(more ? ", …" : "")}): " +
               "check whether one photo is used for several people";
    }
}
