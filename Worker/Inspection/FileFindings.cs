namespace CollectionWorker.Inspection;

/// <summary>Codes of the file stage (before any pixel is looked at).</summary>
public static class FileFindings
{
    public const string Empty = "FILE_EMPTY";
    public const string TooLarge = "FILE_TOO_LARGE";
    public const string NotJpeg = "FILE_NOT_JPEG";
    public const string Corrupt = "FILE_CORRUPT";
    public const string Truncated = "FILE_TRUNCATED";
    public const string TooManyPixels = "FILE_PIXELS";
    public const string WrongSize = "FILE_SIZE";
    public const string Stretched = "FILE_ASPECT";
    public const string ColorDepth = "FILE_COLOR";
    public const string Progressive = "FILE_PROGRESSIVE";
    public const string Quality = "FILE_QUALITY";
    public const string Bytes = "FILE_BYTES";
    public const string Dpi = "FILE_DPI";
    public const string Orientation = "FILE_ORIENTATION";

    public static IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Empty, Severity.Reject, "文件是空的（0 字节），请重新上传照片。", "The file is empty (0 bytes); upload the photo again."),
        new(TooLarge, Severity.Reject, "文件过大，不是证件照。请上传照相馆提供的 480x640 JPG 照片。", "The file is far too large for an ID photo; upload the studio's 480x640 JPG."),
        new(NotJpeg, Severity.Reject, "文件内容不是 JPG（只改扩展名无效），请用照相馆提供的 JPG 原图。", "The file is not a JPEG by content (renaming does not convert it); upload the studio's JPG."),
        new(Corrupt, Severity.Reject, "JPG 文件已损坏，无法读取，请重新导出并上传。", "The JPEG is damaged and cannot be read; export it again and upload."),
        new(Truncated, Severity.Reject, "JPG 文件不完整（传输中断），请重新上传。", "The JPEG is incomplete (cut off in transfer); upload it again."),
        new(TooManyPixels, Severity.Reject, "图片像素数异常巨大，拒绝解码。请上传 480x640 的照片。", "The image announces an absurd pixel count and is not decoded; upload a 480x640 photo."),
        new(WrongSize, Severity.Reject, "照片比例是 3:4，但尺寸不是 480x640 像素，请按比例缩放到 480x640。", "The photo is 3:4 but not 480x640 px; scale it (keeping the ratio) to 480x640."),
        new(Stretched, Severity.Reject, "照片不是 3:4 比例（可能被拉伸），请只裁剪、不要拉伸，得到 480x640。", "The photo is not 3:4 (stretched?); crop, never stretch, to 480x640."),
        new(ColorDepth, Severity.Reject, "照片必须是 24 位彩色（RGB），不能是黑白或 CMYK 印刷色。", "The photo must be 24-bit colour (RGB), not grayscale or CMYK."),
        new(Progressive, Severity.Reject, "照片是渐进式 JPG，请另存为标准（基线）JPG。", "The photo is a progressive JPEG; save it as a standard (baseline) JPEG."),
        new(Quality, Severity.Reject, "JPG 压缩过度（质量低于要求），请用更高质量重新导出。", "The JPEG is compressed too hard (quality below the minimum); export with higher quality."),
        new(Bytes, Severity.Info, "文件大小不在常见范围内，请确认是照相馆导出的原图。", "The file size is outside the typical range; check it is the studio's original export."),
        new(Dpi, Severity.Info, "照片分辨率不是 300 dpi（或未记录），一般不影响审核。", "The photo is not marked 300 dpi (or carries no dpi); usually harmless."),
        new(Orientation, Severity.Info, "照片依靠 EXIF 方向标记旋转，请保存为直接正立的照片。", "The photo relies on an EXIF orientation tag; save it upright."),
    ];
}
