using CollectionWorker.Sheets;

namespace CollectionWorker.Roster;

public enum RosterField
{
    Name, Gender, StudentNumber, NationalId, BirthDate, Grade, Major, Class, School, Track, Teacher, TeacherEmail,
    // Optional: where a student has an address, the service writes to them directly (docs/student-mail.md).
    StudentEmail, Phone,
}

/// <summary>The roster's columns: their Chinese and English headers and which ones must be there.</summary>
public static class RosterColumns
{
    public sealed record Column(RosterField Field, string Chinese, string English, bool Required, string[] Aliases)
    {
        public string Header => $"{Chinese} {English}";
    }

    public static IReadOnlyList<Column> All { get; } =
    [
        new(RosterField.Name, "姓名", "Name", true, ["姓名", "学生姓名", "name", "studentname"]),
        new(RosterField.Gender, "性别", "Gender", true, ["性别", "gender", "sex"]),
        new(RosterField.StudentNumber, "学号", "StudentNumber", true, ["学号", "studentnumber", "studentno", "studentid"]),
        new(RosterField.NationalId, "身份证号", "NationalId", true, ["身份证号", "身份证号码", "身份证", "证件号码", "nationalid", "idnumber", "idno"]),
        new(RosterField.BirthDate, "出生日期", "BirthDate", false, ["出生日期", "出生年月日", "生日", "birthdate", "dateofbirth", "birthday"]),
        new(RosterField.Grade, "年级", "Grade", true, ["年级", "grade"]),
        new(RosterField.Major, "专业", "Major", true, ["专业", "major"]),
        new(RosterField.Class, "班级", "Class", true, ["班级", "班级名称", "class", "classname"]),
        new(RosterField.School, "办学单位", "School", true, ["办学单位", "院校", "学校", "采集对象", "school", "cohort"]),
        new(RosterField.Track, "类别", "Track", false, ["类别", "类型", "track"]),
        new(RosterField.Teacher, "班主任", "Teacher", true, ["班主任", "班主任姓名", "teacher", "teachername", "classteacher"]),
        new(RosterField.TeacherEmail, "班主任邮箱", "TeacherEmail", true, ["班主任邮箱", "班主任电子邮箱", "班主任email", "teacheremail", "classteacheremail"]),
        new(RosterField.StudentEmail, "学生邮箱", "StudentEmail", false, ["学生邮箱", "学生电子邮箱", "学生email", "邮箱", "电子邮箱", "studentemail", "email"]),
        new(RosterField.Phone, "手机号", "Phone", false, ["手机号", "手机号码", "手机", "联系电话", "电话", "学生手机", "phone", "mobile", "phonenumber"]),
    ];

    public static Column Of(RosterField field) => All[(int)field];

    /// <summary>
    /// Recognises a header cell: "学号", "Student Number", "学号 StudentNumber", "*学号（必填）".
    /// The whole text is tried first, then each word, so "Teacher Email" is not taken for "Teacher".
    /// </summary>
    public static RosterField? Recognise(string header) => HeaderText.Recognise(header, All.Select(c => (c.Field, c.Aliases)));
}
