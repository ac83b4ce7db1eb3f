using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;
using CollectionWorker.Sheets;

namespace CollectionWorker.Notifications;

/// <summary>
/// The annotated photo a rejected student gets in the e-mail: the inspection's evidence image (the
/// photo with the measured bands and boxes) at half size, 240 x 320, as a JPEG of about 15–30 KB, so
/// it arrives on a phone over a poor connection and the bands still read.
/// </summary>
public static class StudentPhoto
{
    public const int Width = 240;
    public const int Height = 320;
    public const string ContentId = "annotated-photo";

    private static readonly JpegEncoder Encoder = new() { Quality = 80 };
    private static readonly ResizeOptions Fit = new() { Size = new Size(Width, Height), Mode = ResizeMode.Max, Sampler = KnownResamplers.Bicubic };

    /// <summary>The small annotated image, or null when there is no evidence image (or it is not readable).</summary>
    public static Task<byte[]?> FromEvidenceAsync(string file, CancellationToken ct) => SmallJpeg.FromFileAsync(file, Fit, Encoder, ct);
}
