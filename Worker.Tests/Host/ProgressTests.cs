using System.Text.Json;
using System.Text.RegularExpressions;
using CollectionWorker.Host;
using CollectionWorker.Host.Progress;
using CollectionWorker.Inspection;
using CollectionWorker.Review;
using CollectionWorker.Store;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace CollectionWorker.Tests.Host;

/// <summary>
/// Issue #15: long verbs show progress on stderr (a bar on a terminal, plain lines when redirected) and never on
/// stdout; tables fit the terminal, and keep their plain layout when redirected.
/// </summary>
public sealed partial class ProgressTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Plain_lines_come_when_a_step_starts_every_two_seconds_while_it_runs_and_when_it_ends()
    {
        var time = new FakeTimeProvider();
        var err = new StringWriter();
        await using (var lines = new ProgressLines(err, time))
        {
            lines.Show(WorkProgress.Started("读取 Reading"));
            time.Advance(TimeSpan.FromSeconds(2));
            lines.Show(new WorkProgress("写入 Storing", 0, 200));
            lines.Show(new WorkProgress("写入 Storing", 50, 200));
            time.Advance(TimeSpan.FromSeconds(1)); // not yet two seconds since the last line
            lines.Show(new WorkProgress("写入 Storing", 60, 200));
            time.Advance(TimeSpan.FromSeconds(1));
            lines.Show(new WorkProgress("写入 Storing", 200, 200));
            time.Advance(TimeSpan.FromSeconds(10)); // the step has ended: nothing more
        }

        Assert.Equal(
        [
            "进度 Progress: 读取 Reading…",
            "进度 Progress: 读取 Reading… 2.0 s",
            "进度 Progress: 读取 Reading: 完成 done 2.0 s",
            "进度 Progress: 写入 Storing 0/200 (0%)",
            "进度 Progress: 写入 Storing 60/200 (30%) 2.0 s",
            "进度 Progress: 写入 Storing 200/200 (100%) 2.0 s",
        ], err.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_step_left_unfinished_says_where_it_stopped_when_the_command_ends()
    {
        var time = new FakeTimeProvider();
        var err = new StringWriter();
        await using (var lines = new ProgressLines(err, time))
        {
            lines.Show(new WorkProgress("导出 Exporting", 3, 10));
            time.Advance(TimeSpan.FromMilliseconds(1500));
        }
        Assert.EndsWith("进度 Progress: 导出 Exporting 3/10 (30%) 1.5 s" + Environment.NewLine, err.ToString());
    }

    [Fact]
    public async Task Counts_reported_out_of_order_by_several_threads_never_go_back()
    {
        var time = new FakeTimeProvider();
        var err = new StringWriter();
        await using (var lines = new ProgressLines(err, time))
        {
            lines.Show(new WorkProgress("缩略图 Thumbnails", 5, 10));
            lines.Show(new WorkProgress("缩略图 Thumbnails", 4, 10)); // a thread that finished earlier reports late
            time.Advance(TimeSpan.FromSeconds(2));
        }
        Assert.True(err.ToString().Contains("进度 Progress: 缩略图 Thumbnails 5/10 (50%) 2.0 s"), err.ToString());
        Assert.DoesNotContain("4/10", err.ToString());
    }

    [Fact]
    public void A_table_on_a_narrow_terminal_wraps_its_message_column_within_the_width()
    {
        var table = FindingsTable();
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(screen), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 60;

        table.Draw(console);

        var lines = screen.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(TextTable.Width(l) <= 60, $"{TextTable.Width(l)} columns: {l}"));
        Assert.Contains(lines, l => l.Contains("BG_COLOR") && l.Contains("reject"));
        // The long message is all there in the last column, wrapped over several lines.
        var rows = lines.Where(l => l.Contains('│')).ToList();
        Assert.True(rows.Count > 4, screen.ToString());
        var lastColumn = string.Concat(rows.Skip(2).Select(l => l[(l.LastIndexOf('│') + 1)..].Trim()));
        Assert.Equal(Message.Replace(" ", ""), lastColumn.Replace(" ", ""));
    }

    [Fact]
    public void A_table_fits_a_width_only_when_no_word_has_to_break()
    {
        var table = new TextTable("班级 Class", "Inspecting", "Approved");
        table.Add("20级计算机7班", 12, 3);
        // Longest words: "Class" 5, "Inspecting" 10, "Approved" 8, plus three columns of padding and separators.
        Assert.True(table.Fits(5 + 10 + 8 + 9));
        Assert.False(table.Fits(5 + 10 + 8 + 8));
    }

    [Fact]
    public async Task A_table_written_to_a_file_keeps_the_plain_layout_one_line_per_row()
    {
        var output = new StringWriter();
        await FindingsTable().WriteAsync(output);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("代码 Code  结论 Severity", lines[0]);
        Assert.Matches("^-+$", lines[1]);
        Assert.StartsWith("BG_COLOR   reject", lines[2]);
        Assert.EndsWith(Message, lines[2]);
    }

    [Fact]
    public async Task Check_photo_redirected_prints_plain_progress_on_stderr_and_only_json_on_stdout()
    {
        var photos = Photos(3);

        var (exit, stdout, stderr) = await CliProcess.RunAsync(["check-photo", .. photos, "--json", "--config", Config()]);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(3, json.RootElement.GetArrayLength());
        Assert.DoesNotContain("进度", stdout);
        Assert.Contains("进度 Progress: 检查照片 Checking photos 0/3 (0%)", stderr);
        Assert.Matches(@"进度 Progress: 检查照片 Checking photos 3/3 \(100%\) \d+\.\d s", stderr);
        Assert.DoesNotContain("\u001b[", stderr); // no bar drawn into a file
    }

    [Fact]
    public async Task Demo_import_roster_export_and_verify_redirected_print_their_steps_on_stderr_and_results_on_stdout()
    {
        var data = Path.Combine(_dir.Path, "data");
        var config = Config();

        var demo = await CliProcess.RunAsync("demo", "--data", data, "--config", config);
        Assert.True(demo.Exit == 0, demo.Err);
        Assert.Contains("进度 Progress: 写入学生 Storing students 13/13 (100%)", demo.Err);
        Assert.Contains("进度 Progress: 绘制演示照片 Drawing the demo photos 13/13 (100%)", demo.Err);
        Assert.StartsWith("Demo campaign created", demo.Out);

        var roster = await CliProcess.RunAsync("import-roster", Path.Combine(data, "demo", "demo-roster.xlsx"), "--data", data, "--config", config);
        Assert.True(roster.Exit == 0, roster.Err);
        Assert.Contains("进度 Progress: 读取名单 Reading the roster: 完成 done", roster.Err);
        Assert.Contains("进度 Progress: 写入学生 Storing students 13/13 (100%)", roster.Err);
        Assert.DoesNotContain("进度", roster.Out);

        var export = await CliProcess.RunAsync("export-approved", "--data", data, "--config", config);
        Assert.True(export.Exit == 0, export.Err);
        Assert.Matches(@"进度 Progress: 导出照片 Exporting photos: .+ \d+/\d+ \(100%\)", export.Err);
        Assert.Contains("进度 Progress: 写入清单 Writing the manifest", export.Err);
        // stdout stays what scripts read: one existing path per line.
        var paths = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(paths, p => Assert.True(File.Exists(p) || Directory.Exists(p), p));

        var verify = await CliProcess.RunAsync("verify-export", paths[0], "--config", config);
        Assert.True(verify.Exit == 0, verify.Err);
        Assert.Contains("进度 Progress: 核对照片 Re-hashing the photos 0/0 (100%)", verify.Err);
        Assert.Equal("OK: 0 files match the manifest.", verify.Out.Trim());
    }

    [Fact]
    public async Task Export_review_and_import_review_redirected_count_thumbnails_and_rows_on_stderr()
    {
        using var world = await ReviewWorld.CreateAsync(students: 5);
        for (var i = 1; i <= 5; i++) await world.SubmitAsync(i);
        string[] where = ["--config", world.Host.ConfigDirectory, "--data", world.Host.DataDirectory];

        var export = await CliProcess.RunAsync(["export-review", .. where]);

        Assert.True(export.Exit == 0, export.Err);
        Assert.Contains("进度 Progress: 制作缩略图 Making thumbnails 0/5 (0%)", export.Err);
        Assert.Contains("进度 Progress: 制作缩略图 Making thumbnails 5/5 (100%)", export.Err);
        Assert.Contains("进度 Progress: 写入审核表 Writing the review sheet: 完成 done", export.Err);
        var sheet = export.Out.Trim();
        Assert.True(File.Exists(sheet), export.Out); // stdout: the sheet's path and nothing else

        var filled = world.Fill(sheet, "filled.xlsx", "张师傅",
            (ReviewSheetLayout.PendingSheet, 1, "通过", "", ""), (ReviewSheetLayout.PendingSheet, 2, "通过", "", ""));
        var import = await CliProcess.RunAsync(["import-review", filled, .. where]);

        Assert.True(import.Exit == 0, import.Err);
        Assert.Contains("进度 Progress: 读取审核表 Reading the review sheet: 完成 done", import.Err);
        Assert.Contains("进度 Progress: 应用审核结果 Applying the decisions 5/5 (100%)", import.Err);
        Assert.Contains("进度 Progress: 写入回执 Writing the receipt: 完成 done", import.Err);
        // Three rows were left blank: they go out again on a new sheet, with its own thumbnails counted.
        Assert.Contains("进度 Progress: 制作缩略图 Making thumbnails 3/3 (100%)", import.Err);
        Assert.True(File.Exists(import.Out.Trim()), import.Out); // stdout: the receipt's path
    }

    [Fact]
    public async Task On_a_terminal_check_photo_draws_a_bar_and_a_findings_table_that_fits_80_columns()
    {
        if (!CliProcess.HasPseudoTerminal) return; // no `script` (Windows): nothing to draw on
        var photos = Photos(2);

        var screen = await CliProcess.RunInTerminalAsync(80, ["check-photo", .. photos, "--config", Config()]);

        Assert.Contains("\u001b[", screen); // drawn with escape sequences, not plain lines
        Assert.DoesNotContain("进度 Progress:", screen);
        var text = AnsiEscape().Replace(screen, "");
        Assert.Contains("检查照片 Checking photos", text);
        Assert.Contains("━", text);
        Assert.Contains("100%", text);
        Assert.Contains("2/2", text);
        var tableLines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains('│')).ToList();
        Assert.Contains(tableLines, l => l.Contains("BG_COLOR"));
        Assert.All(tableLines, l => Assert.True(TextTable.Width(l) <= 80, $"{TextTable.Width(l)} columns: {l}"));
    }

    private const string Message = "背景颜色不符合要求：只能是浅蓝色、白色或浅灰色，请到照相馆重拍或更换背景。 The background colour is not allowed: only light blue, white or light gray; reshoot or replace the background.";

    private static TextTable FindingsTable()
    {
        var table = new TextTable("代码 Code", "结论 Severity", "测量 Value", "限值 Limit", "说明 Message");
        table.Add("BG_COLOR", "reject", "ΔE 48.3 to light gray (nearest allowed)", "≤ 15.0", Message);
        return table;
    }

    /// <summary>Portraits on a red backdrop: each gets a BG_COLOR finding, so the table has a long message.</summary>
    private string[] Photos(int count) =>
        Enumerable.Range(1, count)
            .Select(i => PortraitGenerator.Save(new PortraitSpec { Seed = i, Background = new Rgb(200, 45, 45) }, _dir.Path, $"20200000{i:00}.jpg"))
            .ToArray();

    private string Config()
    {
        var config = Path.Combine(_dir.Path, "config");
        Directory.CreateDirectory(config);
        File.WriteAllText(Path.Combine(config, "appsettings.json"), "{}");
        var templates = Path.Combine(_dir.Path, "templates");
        Directory.CreateDirectory(templates);
        foreach (var file in Directory.GetFiles(Path.Combine(TestHost.RepoRoot(), "templates")))
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)), overwrite: true);
        return config;
    }

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex AnsiEscape();
}
