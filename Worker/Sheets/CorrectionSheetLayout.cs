namespace CollectionWorker.Sheets;

/// <summary>A detail that goes on the diploma and that a class teacher may correct.</summary>
public enum DiplomaField { Name, Gender, StudentNumber, NationalId, BirthDate, Grade, Major }

/// <summary>
/// The "信息核对 Check details" sheet of the teacher's roster, shared by the one who writes it
/// (Notifications, with every digest) and the one who reads it back (Corrections): where the details on
/// record are, where the teacher types a correction, the hidden key of each row and the hidden sheet
/// saying which teacher the workbook was sent to. Changing a position here changes both sides.
/// </summary>
public static class CorrectionSheetLayout
{
    public const string SheetName = "信息核对 Check details";

    /// <summary>Very hidden sheet: teacher e-mail, name, when the workbook was made and the seal over them.</summary>
    public const string IdentitySheetName = "_correction_identity";

    public const string TeacherEmailCell = "B1", TeacherNameCell = "B2", IssuedAtCell = "B3", SealCell = "B4";

    public const int TitleRow = 1, InstructionsRow = 2, GroupRow = 3, HeaderRow = 4, FirstDataRow = 5;

    /// <summary>Column of the class; the details on record follow it, one column per field, in <see cref="Fields"/> order.</summary>
    public const int ClassColumn = 1;

    public static readonly DiplomaField[] Fields =
        [DiplomaField.Name, DiplomaField.Gender, DiplomaField.StudentNumber, DiplomaField.NationalId, DiplomaField.BirthDate, DiplomaField.Grade, DiplomaField.Major];

    public static int RecordColumn(DiplomaField field) => ClassColumn + 1 + Array.IndexOf(Fields, field);

    /// <summary>The editable cell where the teacher types the corrected value of <paramref name="field"/>.</summary>
    public static int CorrectionColumn(DiplomaField field) => ClassColumn + 1 + Fields.Length + Array.IndexOf(Fields, field);

    public static int FirstCorrectionColumn => CorrectionColumn(Fields[0]);
    public static int NoteColumn => FirstCorrectionColumn + Fields.Length;

    /// <summary>Hidden: the row's student key (see CorrectionSeal in Store).</summary>
    public static int KeyColumn => NoteColumn + 1;

    public static string Chinese(DiplomaField field) => field switch
    {
        DiplomaField.Name => "姓名",
        DiplomaField.Gender => "性别",
        DiplomaField.StudentNumber => "学号",
        DiplomaField.NationalId => "身份证号",
        DiplomaField.BirthDate => "出生日期",
        DiplomaField.Grade => "年级",
        DiplomaField.Major => "专业",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static string English(DiplomaField field) => field switch
    {
        DiplomaField.Name => "Name",
        DiplomaField.Gender => "Gender",
        DiplomaField.StudentNumber => "StudentNumber",
        DiplomaField.NationalId => "NationalId",
        DiplomaField.BirthDate => "BirthDate",
        DiplomaField.Grade => "Grade",
        DiplomaField.Major => "Major",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static string Bilingual(DiplomaField field) => $"{Chinese(field)} {English(field)}";

    /// <summary>The stable text stored for a field (the store's column of the same detail).</summary>
    public static string Code(DiplomaField field) => field switch
    {
        DiplomaField.Name => "name",
        DiplomaField.Gender => "gender",
        DiplomaField.StudentNumber => "student_number",
        DiplomaField.NationalId => "national_id",
        DiplomaField.BirthDate => "birth_date",
        DiplomaField.Grade => "grade",
        DiplomaField.Major => "major",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static DiplomaField? FromCode(string code) => Fields.Cast<DiplomaField?>().FirstOrDefault(f => Code(f!.Value) == code);

    public const string InstructionsZh =
        "请逐一核对每位学生的姓名、性别、学号、身份证号、出生日期、年级、专业（这些信息将印在毕业证书上）。" +
        "如有错误，只在右侧黄色的“信息有误 Correction”区域、该学生所在行、对应项目的格子里填写正确的完整内容" +
        "（身份证号请填写完整的 18 位；出生日期写成 2001-09-30；性别填 男 或 女），其余格子不用改动；信息正确的学生留空即可。" +
        "可在“备注 Note”中说明情况。填好后保存为 .xlsx，作为附件回复给教务处；系统会核对后回复一份回执。" +
        "出于隐私保护，身份证号只显示前 6 位和后 4 位。请不要增删行或改动左侧信息。";

    public const string InstructionsEn =
        "Check each student's name, gender, student number, ID number, birth date, grade and major (they are printed on the diploma). " +
        "Where something is wrong, type the correct value in full in the yellow 'Correction' area on the right, in that student's row, under that detail " +
        "(the whole 18-character ID number; a birth date as 2001-09-30; gender 男 or 女); leave every other cell as it is, and leave correct students blank. " +
        "A Note may explain. Save as .xlsx and send it back to the academic office as an attachment; you will get a receipt once it is checked. " +
        "ID numbers show only their first 6 and last 4 characters, for privacy. Please do not add or delete rows or change the details on the left.";
}
