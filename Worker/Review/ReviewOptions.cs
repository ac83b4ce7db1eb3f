using Microsoft.Extensions.Options;

namespace CollectionWorker.Review;

/// <summary>One reason the studio may give for sending a photo back, as the dropdown shows it and the teacher reads it.</summary>
public sealed class ReviewReason
{
    public string Zh { get; set; } = "";
    public string En { get; set; } = "";

    /// <summary>A reason that says nothing by itself (其他 other): the reviewer must write what in the Note.</summary>
    public bool NeedsNote { get; set; }

    /// <summary>The text in the dropdown: both languages, so either reader finds it.</summary>
    public string Label => $"{Zh} {En}";
}

/// <summary>Config section <c>Review</c>: the studio's review sheets, their schedule and the reasons list.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>How often the running service looks for submissions that are in no sheet yet and exports a new sheet; 00:00:00 = only on demand (export-review).</summary>
    public TimeSpan ExportEvery { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often review/inbox/ is looked at for filled sheets.</summary>
    public TimeSpan InboxPollEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A filled sheet must be unchanged this long before it is imported (it may still be copying).</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How far back the second sheet lists automatic rejections the studio may overturn.</summary>
    public TimeSpan AutoRejectedWithin { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// The Reasons dropdown. Null means "not configured": <see cref="NoticeReasons"/> apply. (A list
    /// default would be appended to, not replaced, by the configuration binder.)
    /// </summary>
    public List<ReviewReason>? Reasons { get; set; }

    public IReadOnlyList<ReviewReason> ReasonList => Reasons ?? NoticeReasons;

    /// <summary>The notice's requirements, one reason each.</summary>
    public static IReadOnlyList<ReviewReason> NoticeReasons { get; } =
    [
        new() { Zh = "背景不符合要求", En = "background" },
        new() { Zh = "佩戴眼镜", En = "glasses" },
        new() { Zh = "头发遮挡眉毛/眼睛/耳朵", En = "hair covers brows/eyes/ears" },
        new() { Zh = "佩戴首饰", En = "jewellery" },
        new() { Zh = "穿蓝色衣服", En = "blue clothing" },
        new() { Zh = "衣服颜色与背景相近", En = "clothing like the background" },
        new() { Zh = "照片过暗", En = "too dark" },
        new() { Zh = "照片过亮", En = "too bright" },
        new() { Zh = "照片偏色", En = "colour cast" },
        new() { Zh = "有水印", En = "watermark" },
        new() { Zh = "照片被拉伸变形", En = "stretched" },
        new() { Zh = "美颜或浓妆", En = "beautified / heavy make-up" },
        new() { Zh = "非照相馆拍摄", En = "not a studio photo" },
        new() { Zh = "头像位置或大小不符", En = "position / size" },
        new() { Zh = "姿势或表情不符", En = "pose / expression" },
        new() { Zh = "其他", En = "other", NeedsNote = true },
    ];
}

public sealed class ReviewOptionsValidator : IValidateOptions<ReviewOptions>
{
    public ValidateOptionsResult Validate(string? name, ReviewOptions o)
    {
        const string s = ReviewOptions.Section;
        var errors = new List<string>();
        if (o.ExportEvery != TimeSpan.Zero && (o.ExportEvery < TimeSpan.FromMinutes(1) || o.ExportEvery > TimeSpan.FromDays(1)))
            errors.Add($"{s}:ExportEvery = {o.ExportEvery} is out of range; allowed: 00:00:00 (only on demand) or 00:01:00 to 1.00:00:00 (default 02:00:00).");
        if (o.InboxPollEvery < TimeSpan.FromMilliseconds(100) || o.InboxPollEvery > TimeSpan.FromHours(1))
            errors.Add($"{s}:InboxPollEvery = {o.InboxPollEvery} is out of range; allowed: 00:00:00.1 to 01:00:00 (default 00:00:05).");
        if (o.StableFor < TimeSpan.Zero || o.StableFor > TimeSpan.FromMinutes(10))
            errors.Add($"{s}:StableFor = {o.StableFor} is out of range; allowed: 00:00:00 to 00:10:00 (default 00:00:02).");
        if (o.AutoRejectedWithin < TimeSpan.Zero || o.AutoRejectedWithin > TimeSpan.FromDays(30))
            errors.Add($"{s}:AutoRejectedWithin = {o.AutoRejectedWithin} is out of range; allowed: 00:00:00 (no second sheet rows) to 30.00:00:00 (default 2.00:00:00).");
        if (o.Reasons is { Count: 0 })
            errors.Add($"{s}:Reasons is empty; list at least one {{ \"Zh\": ..., \"En\": ... }}, or remove the key for the notice's list.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (o.Reasons?.Count ?? 0); i++)
        {
            var r = o.Reasons![i];
            if (string.IsNullOrWhiteSpace(r.Zh) || string.IsNullOrWhiteSpace(r.En))
                errors.Add($"{s}:Reasons:{i} = '{r.Zh}' / '{r.En}' needs both Zh and En text.");
            else if (!seen.Add(r.Zh.Trim()) || !seen.Add(r.En.Trim()))
                errors.Add($"{s}:Reasons:{i} = '{r.Label}' repeats another reason's text; each reason must be told apart.");
            else if ((r.Zh + r.En).IndexOfAny(ReasonText.Separators) >= 0)
                errors.Add($"{s}:Reasons:{i} = '{r.Label}' contains one of {string.Join(" ", ReasonText.Separators)}, which separate several reasons in a cell.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
