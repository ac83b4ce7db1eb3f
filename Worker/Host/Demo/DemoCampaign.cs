using CollectionWorker.Sheets;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollectionWorker.Inspection;
using CollectionWorker.Payments;
using CollectionWorker.Notifications;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Dapper;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Host.Demo;

/// <summary>What the demo created, for the verb to print.</summary>
public sealed record DemoResult(string ConfigDirectory, string Roster, int Students, int Photos, IReadOnlyList<string> Notes);

/// <summary>
/// A complete demo campaign in a fresh data directory: a synthetic roster (three classes, two teachers,
/// one student outside the cohorts), the payment platform's export imported, synthetic portraits good and bad in the drop folder, and a config
/// folder whose campaign dates are around now, so that running the service on it shows inspections,
/// a review sheet and e-mails within a minute. Nobody's real photo or ID number is used.
/// </summary>
public sealed class DemoCampaign(DataPaths paths, Database database, RosterImporter importer, PaymentImporter payments, ConfigLocation config, TimeProvider time,
    ProgressReport report, TeacherWorkbook teacherWorkbook, ICorrectionSeals seals)
{
    private sealed record DemoStudent(string Name, bool Male, string Number, string Class, string Grade, string Track, string Teacher, string Email, int Photo);

    public const string RosterStep = "生成演示名单 Writing the demo roster";
    public const string PhotoStep = "绘制演示照片 Drawing the demo photos";

    public async Task<DemoResult> CreateAsync(CancellationToken ct, IProgress<WorkProgress>? progress = null)
    {
        await using (var c = await database.OpenAsync(ct))
            if (await c.ExecuteScalarAsync<int>("SELECT count(*) FROM students") > 0)
                throw new InputRejectedException($"{paths.Root} already holds a campaign; the demo needs a fresh data directory, e.g. --data ./demo-data.");

        var demo = Path.Combine(paths.Root, "demo");
        Directory.CreateDirectory(demo);
        var students = Students();
        var roster = Path.Combine(demo, "demo-roster.xlsx");
        progress?.Report(WorkProgress.Started(RosterStep));
        WriteRoster(roster, students);
        var import = await importer.ImportAsync(roster, "demo", ct, progress);
        if (!import.Succeeded) throw new InvalidOperationException("the demo roster was refused: " + string.Join("; ", import.Problems.Take(3)));

        var notes = new List<string>();
        var paymentsFile = Path.Combine(demo, "demo-payments.csv");
        await File.WriteAllBytesAsync(paymentsFile, PaymentsCsv(students), ct);
        var paid = await payments.ImportAsync(paymentsFile, "demo", ct);
        if (!paid.Succeeded) throw new InvalidOperationException("the demo payments were refused: " + string.Join("; ", paid.Problems.Take(3)));
        notes.Add($"{Path.GetFileName(paymentsFile)} (the payment platform's CSV, as Chinese Excel saves it: GB18030): {paid.Added} payments, " +
                  $"{paid.Refunded} refund, one partial (10 of 15 yuan), one unknown student and one outside the cohorts kept aside; 'status' shows paid / unpaid");
        var photos = 0;
        var photoCount = students.Count(s => s.Photo >= 0) + 1;
        foreach (var s in students.Where(s => s.Photo >= 0))
        {
            progress?.Report(new WorkProgress(PhotoStep, photos, photoCount));
            var (bytes, what) = Photo(s.Photo);
            await File.WriteAllBytesAsync(Path.Combine(paths.Inbox, $"{s.Number}.jpg"), bytes, ct);
            notes.Add($"{s.Number} {s.Name} ({s.Class}): {what}");
            photos++;
        }
        await File.WriteAllBytesAsync(Path.Combine(paths.Inbox, "陌生人.jpg"), PortraitGenerator.Jpeg(new PortraitSpec { Seed = 99 }), ct);
        notes.Add("陌生人.jpg: a file that names no student (goes to unmatched/)");
        notes.Add($"{students.Count(s => StudentContact(s, students.IndexOf(s))[0].Length > 0)} students have their own e-mail address in the roster: their receipts, rejections and approvals are .eml files in mail/ too");
        photos++;
        progress?.Report(new WorkProgress(PhotoStep, photos, photoCount));

        notes.Add(await WriteCorrectionsAsync(ct));

        var configDir = Path.Combine(demo, "config");
        await WriteConfigAsync(configDir, ct);
        return new DemoResult(configDir, roster, students.Count, photos, notes);
    }

    /// <summary>
    /// 王伟's roster as he would send it back: two corrections the checks accept and a birth date that
    /// does not match the ID number, in corrections-inbox/, so the receipt and the admin's consolidated
    /// workbook appear as soon as the service runs.
    /// </summary>
    private async Task<string> WriteCorrectionsAsync(CancellationToken ct)
    {
        var students = await report.StudentsAsync(new StudentFilter(TeacherEmail: "wangwei@example.edu.cn"), ct);
        // Filled beside the data folder, then moved into the inbox whole: a running service never sees it half-typed.
        var filling = Path.Combine(paths.Root, "王伟-信息核对.filling.xlsx");
        await File.WriteAllBytesAsync(filling, teacherWorkbook.Build("王伟", students, showFullNationalId: false, seal: await seals.SealAsync(ct)), ct);
        // Typed into the saved workbook's open correction cells, as he would in Excel (their style and text format kept).
        Dictionary<string, int> rowOf;
        using (var cells = XlsxCells.Open(filling))
            rowOf = cells.Read(CorrectionSheetLayout.SheetName)!.Rows.Where(r => r.Number >= CorrectionSheetLayout.FirstDataRow)
                .ToDictionary(r => r.Text(CorrectionSheetLayout.RecordColumn(DiplomaField.StudentNumber)), r => r.Number);
        XlsxFill.Texts(filling, CorrectionSheetLayout.SheetName,
        [
            (rowOf["2020000001"], CorrectionSheetLayout.CorrectionColumn(DiplomaField.Name), "陈思源"),
            (rowOf["2020000002"], CorrectionSheetLayout.CorrectionColumn(DiplomaField.Major), "软件技术"),
            (rowOf["2020000003"], CorrectionSheetLayout.CorrectionColumn(DiplomaField.BirthDate), "2002-01-01"),
            (CorrectionSheetLayout.FirstDataRow + 1, CorrectionSheetLayout.NoteColumn, "学生本人确认 confirmed by the student"),
        ]);
        var file = Path.Combine(paths.CorrectionsInbox, "王伟-信息核对.xlsx");
        File.Move(filling, file, overwrite: true);
        return $"{Path.GetFileName(file)} in corrections-inbox/: 王伟's roster sent back with two corrections and one the checks refuse " +
               "(a receipt for him in mail/, the admin's list in corrections/)";
    }

    private static List<DemoStudent> Students()
    {
        string[] names = ["陈思远", "林嘉怡", "黄子轩", "吴雨桐", "张浩然", "李欣妍", "王俊杰", "刘诗琪", "杨博文", "赵梓涵", "周明轩", "徐可馨"];
        var list = new List<DemoStudent>();
        for (var i = 0; i < 12; i++)
        {
            var (cls, grade, track, teacher, email) = (i / 4) switch
            {
                0 => ("20级计算机1班", "2020级", "", "王伟", "wangwei@example.edu.cn"),
                1 => ("20级计算机2班", "2020级", "", "王伟", "wangwei@example.edu.cn"),
                _ => ("21级机电三二分段班", "2021级", "三二分段", "李娜", "lina@example.edu.cn"),
            };
            // Photo kinds: 0-5 good, 6 red backdrop, 7 blurred, 8 blue clothes, 9 none (missing), 10 striped shirt, 11 a PNG named .jpg.
            list.Add(new DemoStudent(names[i], i % 2 == 0, $"2020{i + 1:000000}", cls, grade, track, teacher, email, i == 9 ? -1 : i));
        }
        list.Add(new DemoStudent("钱文静", false, "2019000001", "19级会计班", "2019级", "", "李娜", "lina@example.edu.cn", 0));
        return list;
    }

    /// <summary>
    /// A payment export like the platform's: a title line, a pending order (ignored), eight paid, one of them refunded
    /// further down, one partial, one payment naming no student, one for the student outside the cohorts, and a total line.
    /// </summary>
    private byte[] PaymentsCsv(List<DemoStudent> students)
    {
        var at = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddHours(-2);
        string Time(int i) => at.AddMinutes(i * 7).ToString("yyyy-MM-dd HH:mm:ss");
        var lines = new List<string> { "缴费平台 交易明细（示例）", "交易时间,交易单号,学号,姓名,金额(元),交易状态" };
        for (var i = 0; i < 8; i++)
            lines.Add($"{Time(i)},DEMO{i + 1:0000},{students[i].Number},{students[i].Name},{(i == 5 ? "10.00" : "15.00")},支付成功");
        lines.Add($"{Time(8)},DEMO0009,{students[8].Number},{students[8].Name},15.00,待支付");
        lines.Add($"{Time(9)},DEMO0010,2099000001,孙小明,15.00,支付成功");
        lines.Add($"{Time(10)},DEMO0011,{students[^1].Number},{students[^1].Name},15.00,支付成功");
        lines.Add($"{Time(11)},DEMO0004,{students[3].Number},{students[3].Name},15.00,已退款");
        lines.Add("合计,,,,145.00,");
        return System.Text.CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    private static (byte[] Bytes, string What) Photo(int kind)
    {
        Rgb[] backgrounds = [new(100, 197, 255), new(255, 255, 255), new(240, 240, 240)];
        Rgb[] skins = [new(214, 170, 140), new(120, 80, 58), new(238, 210, 195), new(180, 130, 100)];
        var good = new PortraitSpec { Background = backgrounds[kind % 3], Skin = skins[kind % 4], Seed = kind, Quality = 80 };
        return kind switch
        {
            6 => (PortraitGenerator.Jpeg(good with { Background = new Rgb(200, 45, 45) }), "red backdrop: rejected automatically (BG_COLOR)"),
            7 => (PortraitGenerator.Jpeg(good with { BlurSigma = 3 }), "blurred: flagged for the studio"),
            8 => (PortraitGenerator.Jpeg(good with { Background = new Rgb(255, 255, 255), Clothing = new Rgb(30, 70, 190) }), "blue clothes: flagged for the studio"),
            10 => (PortraitGenerator.Jpeg(good with { Stripes = 14 }), "striped clothes: flagged for the studio"),
            11 => (Png(good), "a PNG renamed .jpg: rejected automatically"),
            _ => (PortraitGenerator.Jpeg(good), "a compliant studio photo: goes to the studio's review sheet"),
        };
    }

    private static byte[] Png(PortraitSpec spec)
    {
        using var image = PortraitGenerator.Render(spec);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private static void WriteRoster(string path, IEnumerable<DemoStudent> students)
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("名单");
        string[] headers = ["姓名", "性别", "学号", "身份证号", "出生日期", "年级", "专业", "班级", "办学单位", "类别", "班主任", "班主任邮箱",
            "学生邮箱 StudentEmail", "手机号 Phone"];
        for (var c = 0; c < headers.Length; c++) ws.Text(1, c + 1, headers[c]);
        var r = 2;
        foreach (var s in students)
        {
            var birth = new DateOnly(2002, 1, 1).AddDays(r * 37);
            var first17 = $"440605{birth:yyyyMMdd}{r * 2 % 100:00}{(s.Male ? 1 : 2)}";
            string[] cells = [s.Name, s.Male ? "男" : "女", s.Number, first17 + NationalId.ComputeCheckChar(first17), birth.ToString("yyyy-MM-dd"),
                s.Grade, s.Class.Contains("计算机") ? "计算机应用技术" : s.Class.Contains("会计") ? "会计" : "机电一体化技术", s.Class,
                "广东理工职业学院", s.Track, s.Teacher, s.Email, ..StudentContact(s, r - 2)];
            for (var c = 0; c < cells.Length; c++) ws.Text(r, c + 1, cells[c]);
            r++;
        }
        wb.SaveAs(path);
    }

    /// <summary>
    /// Every other student, and the one whose PNG is refused, has an address of their own, so the demo's
    /// mail/ folder shows the e-mails students get (receipt, rejection with the annotated photo, approval);
    /// the others only a phone, which their teacher sees.
    /// </summary>
    private static string[] StudentContact(DemoStudent s, int index) =>
        [index % 2 == 0 || s.Photo == 11 ? $"s{s.Number}@stu.example.edu.cn" : "", $"1380013{s.Number[^4..]}"];

    /// <summary>The current settings, with the campaign moved to now and quick timings, beside a copy of the templates.</summary>
    private async Task WriteConfigAsync(string configDir, CancellationToken ct)
    {
        Directory.CreateDirectory(configDir);
        var source = config.Directory is { } dir ? Path.Combine(dir, ConfigDirectory.FileName) : null;
        var root = source is not null && File.Exists(source) ? JsonNode.Parse(await File.ReadAllTextAsync(source, ct))!.AsObject() : new JsonObject();
        JsonObject Section(string name) => root[name] as JsonObject ?? (JsonObject)(root[name] = new JsonObject());

        var now = time.GetUtcNow();
        var shanghai = TimeSpan.FromHours(8);
        string At(TimeSpan offset) => now.Add(offset).ToOffset(shanghai).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        Section("Storage")["DataDirectory"] = paths.Root;
        var campaign = Section("Campaign");
        campaign["PreparationStart"] = At(TimeSpan.FromDays(-10));
        campaign["PreparationEnd"] = At(TimeSpan.FromMinutes(-5));
        campaign["UploadStart"] = At(TimeSpan.FromMinutes(-5));
        campaign["UploadEnd"] = At(TimeSpan.FromDays(7));
        var notifications = Section("Notifications");
        notifications["AdminEmails"] = new JsonArray("jwc@example.edu.cn");
        notifications["StudioEmail"] = "studio@example.edu.cn";
        notifications["DigestTime"] = now.AddMinutes(2).ToOffset(shanghai).ToString("HH:mm");
        notifications["SendEvery"] = "00:00:02";
        var intake = Section("Intake");
        intake["StableFor"] = "00:00:01";
        intake["RescanEvery"] = "00:00:05";
        Section("Review")["ExportEvery"] = "00:01:00";
        var corrections = Section("Corrections");
        corrections["InboxPollEvery"] = "00:00:02";
        corrections["StableFor"] = "00:00:01";
        await File.WriteAllTextAsync(Path.Combine(configDir, ConfigDirectory.FileName),
            root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), ct);

        var templates = Path.Combine(Path.GetDirectoryName(configDir)!, "templates");
        Directory.CreateDirectory(templates);
        if (Directory.Exists(config.DefaultTemplatesDirectory))
            foreach (var file in Directory.GetFiles(config.DefaultTemplatesDirectory))
                File.Copy(file, Path.Combine(templates, Path.GetFileName(file)), overwrite: true);
    }
}
