using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Intake;

/// <summary>A student as intake needs them to match a file name.</summary>
public sealed record IntakeStudent(long Id, string StudentNumber, string NationalId, string Name, bool Eligible);

/// <summary>
/// A snapshot of the roster, indexed by normalised student number, ID number and name. Taken once
/// per batch of files, so a roster imported while the service runs is used from the next batch on.
/// </summary>
public sealed class StudentDirectory
{
    private readonly Dictionary<string, IntakeStudent> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntakeStudent> _byNationalId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IntakeStudent>> _byName = new(StringComparer.Ordinal);

    public StudentDirectory(IEnumerable<IntakeStudent> students)
    {
        foreach (var s in students)
        {
            _byNumber[FileNameText.Key(s.StudentNumber)] = s;
            _byNationalId[FileNameText.Key(s.NationalId)] = s;
            var name = FileNameText.Key(s.Name);
            if (!_byName.TryGetValue(name, out var list)) _byName[name] = list = [];
            list.Add(s);
        }
    }

    public int Count => _byNumber.Count;

    public IntakeStudent? ByNumber(string number) => _byNumber.GetValueOrDefault(FileNameText.Key(number));
    public IntakeStudent? ByNationalId(string id) => _byNationalId.GetValueOrDefault(FileNameText.Key(id));
    public IReadOnlyList<IntakeStudent> ByName(string name) => _byName.GetValueOrDefault(FileNameText.Key(name)) ?? [];

    public static async Task<StudentDirectory> LoadAsync(Database database, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Number, string NationalId, string Name, long Eligible)>(
            "SELECT id, student_number, national_id, name, eligible FROM students");
        return new StudentDirectory(rows.Select(r => new IntakeStudent(r.Id, r.Number, r.NationalId, r.Name, r.Eligible == 1)));
    }
}

/// <summary>The result of matching one file name: a student, or why not (in Chinese and English).</summary>
public sealed record NameMatch(IntakeStudent? Student, string ReasonCode, string ReasonZh, string ReasonEn)
{
    public static NameMatch Of(IntakeStudent s) => new(s, "", "", "");
}

/// <summary>
/// Matches a file name to one student through the configured patterns. Every pattern is tried; the
/// file belongs to a student only when all patterns that recognise it agree on one student.
/// </summary>
public sealed class FileNameMatcher
{
    public const string NoMatch = "NO_MATCH";
    public const string Ambiguous = "AMBIGUOUS";
    public const string WrongExtension = "WRONG_EXTENSION";

    private readonly IReadOnlyList<FileNamePattern> _patterns;
    private readonly IReadOnlyList<string> _extensions;

    public FileNameMatcher(IOptions<IntakeOptions> options)
    {
        _patterns = options.Value.Patterns.Select(FileNamePattern.Parse).ToList();
        _extensions = options.Value.AcceptedExtensions;
    }

    /// <summary>Whether the name ends in an accepted extension (case-insensitive).</summary>
    public bool HasAcceptedExtension(string fileName) =>
        _extensions.Any(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public NameMatch Match(string fileName, StudentDirectory students)
    {
        var extension = _extensions.FirstOrDefault(e => FileNameText.Normalise(fileName).EndsWith(e, StringComparison.OrdinalIgnoreCase));
        if (extension is null)
            return new NameMatch(null, WrongExtension,
                $"文件类型不接受：只接受 {string.Join(" / ", _extensions)} 文件",
                $"file type not accepted: only {string.Join(" / ", _extensions)} files are taken");

        var normalised = FileNameText.Normalise(fileName);
        var stem = normalised[..^extension.Length];
        var found = new Dictionary<long, IntakeStudent>();
        var notesZh = new List<string>();
        var notesEn = new List<string>();
        var recognised = false;

        foreach (var p in _patterns)
        {
            var m = p.Stem.Match(stem);
            if (!m.Success) continue;
            recognised = true;
            var number = p.HasNumber ? m.Groups[FileNamePattern.NumberGroup].Value : null;
            var id = p.HasNationalId ? m.Groups[FileNamePattern.NationalIdGroup].Value : null;
            var name = p.HasName ? m.Groups[FileNamePattern.NameGroup].Value : null;

            IntakeStudent? byKey = null;
            if (number is not null)
            {
                byKey = students.ByNumber(number);
                if (byKey is null)
                {
                    notesZh.Add($"名单中没有学号 {number}（{p.Text}）");
                    notesEn.Add($"no student with student number {number} in the roster ({p.Text})");
                    continue;
                }
            }
            if (id is not null)
            {
                var s = students.ByNationalId(id);
                if (s is null)
                {
                    notesZh.Add($"名单中没有该身份证号（{p.Text}）");
                    notesEn.Add($"no student with this ID number in the roster ({p.Text})");
                    continue;
                }
                if (byKey is not null && byKey.Id != s.Id)
                {
                    notesZh.Add($"学号与身份证号不属于同一学生（{p.Text}）");
                    notesEn.Add($"student number and ID number belong to different students ({p.Text})");
                    continue;
                }
                byKey = s;
            }
            if (name is not null)
            {
                if (byKey is not null)
                {
                    if (FileNameText.Key(byKey.Name) != FileNameText.Key(name))
                    {
                        notesZh.Add($"姓名“{name}”与学号 {byKey.StudentNumber} 的学生姓名不符（{p.Text}）");
                        notesEn.Add($"name '{name}' is not the name of student {byKey.StudentNumber} ({p.Text})");
                        continue;
                    }
                }
                else
                {
                    var named = students.ByName(name);
                    if (named.Count == 0)
                    {
                        notesZh.Add($"名单中没有姓名为“{name}”的学生（{p.Text}）");
                        notesEn.Add($"no student named '{name}' in the roster ({p.Text})");
                        continue;
                    }
                    foreach (var s in named) found[s.Id] = s;
                    continue;
                }
            }
            if (byKey is not null) found[byKey.Id] = byKey;
        }

        if (found.Count == 1) return NameMatch.Of(found.Values.Single());
        if (found.Count > 1)
        {
            var who = string.Join(", ", found.Values.Select(s => $"{s.StudentNumber} {s.Name}"));
            return new NameMatch(null, Ambiguous,
                $"文件名可对应多名学生（{who}），无法确定是谁的照片；请按“学号_姓名.jpg”重新命名",
                $"the file name fits more than one student ({who}); rename it as 'studentnumber_name.jpg'");
        }
        if (!recognised)
            return new NameMatch(null, NoMatch,
                $"文件名不符合任何命名规则（{string.Join("、", _patterns.Select(p => p.Text))}）",
                $"the file name follows none of the naming patterns ({string.Join(", ", _patterns.Select(p => p.Text))})");
        return new NameMatch(null, NoMatch, string.Join("；", notesZh.Distinct()), string.Join("; ", notesEn.Distinct()));
    }
}
