using System.Buffers;
using CollectionWorker.Inspection.Checks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Inspection;

/// <summary>
/// Inspects one photo's bytes: the file itself (format by content, size, colour, quality, dpi,
/// orientation), then every registered <see cref="IPhotoCheck"/> over the decoded pixels, and
/// draws the evidence image. Pure and deterministic: same bytes and options, same result.
/// Thread-safe; one instance serves the whole process.
/// </summary>
public sealed class PhotoInspector
{
    public const string CheckFailed = "INSPECTION_ERROR";

    private static readonly FindingDefinition CheckFailedDefinition = new(CheckFailed, Severity.Review,
        "自动检查出错，请人工审核此照片。", "An automatic check failed on this photo; a person must review it.");

    private const long MaxPixelsPerByte = 1024;

    private readonly InspectionOptions _options;
    private readonly IReadOnlyList<IPhotoCheck> _checks;
    private readonly FindingCatalog _catalog;
    private readonly ILogger _logger;
    // Only the JPEG decoder: whatever the bytes are, nothing else is ever parsed.
    private readonly Configuration _jpegOnly = new(new JpegConfigurationModule());
    // The patch grid's, silhouette's and backdrop sample's arrays, reused from photo to photo (per inspector: no static state).
    private readonly AnalysisBufferPool _buffers = new();

    public PhotoInspector(InspectionOptions options, IEnumerable<IPhotoCheck> checks, ILogger? logger = null)
    {
        _options = options;
        _checks = checks.OrderBy(c => c.Order).ToList();
        _catalog = new FindingCatalog(AllDefinitions(_checks), options.Severity);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>An inspector with the built-in checks, for tools and tests outside the host.</summary>
    public static PhotoInspector CreateDefault(InspectionOptions? options = null, ILogger? logger = null) =>
        new(options ?? new InspectionOptions(), BuiltInChecks(), logger);

    /// <summary>The checks of "Photo inspection I" (file, background, light, clothing).</summary>
    public static IReadOnlyList<IPhotoCheck> BuiltInChecks() =>
    [
        new GrayscaleCheck(), new BackgroundColorCheck(), new BackgroundUniformityCheck(), new BackgroundGradientCheck(), new ShadowCheck(),
        new ClutterCheck(), new ExposureCheck(), new ColorCastCheck(), new SharpnessCheck(), new LightingBalanceCheck(),
        new ClothingCheck(),
    ];

    public static IEnumerable<FindingDefinition> AllDefinitions(IEnumerable<IPhotoCheck> checks) =>
        FileFindings.Definitions.Append(CheckFailedDefinition).Concat(checks.SelectMany(c => c.Definitions));

    public FindingCatalog Catalog => _catalog;

    /// <summary>Reads and inspects a file; a file too large to be a photo is refused without being read.</summary>
    public InspectionResult InspectFile(string path, bool annotate = true)
    {
        var length = new FileInfo(path).Length;
        if (length > _options.File.MaxFileMegabytes * 1024L * 1024L)
        {
            var sink = new FindingSink(_catalog);
            sink.Add(FileFindings.TooLarge, $"{length / 1024} KB", $"≤ {_options.File.MaxFileMegabytes} MB");
            return new InspectionResult(Path.GetFileName(path), sink.Findings, null);
        }
        return Inspect(File.ReadAllBytes(path), Path.GetFileName(path), annotate);
    }

    public InspectionResult Inspect(byte[] bytes, string fileName, bool annotate = true)
    {
        var sink = new FindingSink(_catalog);
        var decoded = ReadFile(bytes, sink, out var stopChecks);
        if (decoded is null)
        {
            // Debug: the inspection stage logs the one line per photo (with its submission); check-photo prints a table.
            _logger.LogDebug("Photo {File} could not be decoded: {Codes}", fileName, string.Join(",", sink.Findings.Select(f => f.Code)));
            return new InspectionResult(fileName, sink.Findings, null);
        }

        var (width, height, rgb) = decoded.Value;
        try
        {
            using var photo = new PhotoAnalysis(width, height, rgb, _options, _buffers);
            if (!stopChecks)
                foreach (var check in _checks)
                {
                    try
                    {
                        check.Run(photo, sink);
                    }
                    catch (Exception e)
                    {
                        // A bug in one check must not lose the submission: the photo goes to a person instead.
                        _logger.LogError(e, "Check {Check} failed on {File}", check.GetType().Name, fileName);
                        sink.Add(CheckFailed, check.GetType().Name, "no error");
                    }
                }
            var result = new InspectionResult(fileName, sink.Findings, null);
            var png = annotate ? EvidenceRenderer.RenderPng(photo, result) : null;
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("Photo {File} inspected: {Verdict} ({Codes})", fileName, result.Verdict.ToWire(),
                    string.Join(",", sink.Findings.Select(f => f.Code)));
            return new InspectionResult(fileName, sink.Findings, png);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgb);
        }
    }

    /// <summary>The file stage: everything knowable from the bytes and header, then the decode. Null when there is nothing to look at.</summary>
    private (int Width, int Height, byte[] Rgb)? ReadFile(byte[] bytes, FindingSink sink, out bool stopChecks)
    {
        stopChecks = false;
        var o = _options.File;
        if (bytes.Length == 0)
        {
            sink.Add(FileFindings.Empty, "0 bytes", "a JPEG photo");
            return null;
        }
        if (bytes.Length > o.MaxFileMegabytes * 1024L * 1024L)
        {
            sink.Add(FileFindings.TooLarge, $"{bytes.Length / 1024} KB", $"≤ {o.MaxFileMegabytes} MB");
            return null;
        }
        var format = JpegStructure.SniffFormat(bytes);
        if (format != "JPEG")
        {
            sink.Add(FileFindings.NotJpeg, format == "unknown" ? "not an image format" : $"{format} content", "JPEG");
            return null;
        }
        var structure = JpegStructure.Read(bytes);
        if (!structure.HasFrame || structure.Width == 0 || structure.Height == 0)
        {
            sink.Add(FileFindings.Corrupt, "no readable JPEG frame header", "a complete JPEG");
            return null;
        }

        int width, height;
        ushort orientation;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var info = Image.Identify(_jpegOnly, stream);
            if (info is null)
            {
                sink.Add(FileFindings.Corrupt, "unreadable JPEG header", "a complete JPEG");
                return null;
            }
            // Untrusted bytes: whatever the decoder throws on them is a damaged file, not a crash of the stage.
            orientation = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? 1;
            (width, height) = orientation is >= 5 and <= 8 ? (info.Height, info.Width) : (info.Width, info.Height);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            sink.Add(FileFindings.Corrupt, Short(e.Message), "a complete JPEG");
            return null;
        }

        if ((long)width * height > o.MaxMegapixels * 1_000_000L)
        {
            sink.Add(FileFindings.TooManyPixels, $"{width}x{height} px", $"≤ {o.MaxMegapixels} megapixels (standard: {o.Width}x{o.Height})");
            return null;
        }

        if ((long)width * height > MaxPixelsPerByte * (long)bytes.Length)
        {
            // Even a flat JPEG spends about two bits per 8x8 block: a header announcing far more pixels than
            // the data could hold is damaged or hostile, and decoding it would only burn time on grey.
            sink.Add(FileFindings.Corrupt, $"header announces {width}x{height} px in only {Format.N(bytes.Length / 1024.0)} KB", "a complete JPEG");
            return null;
        }

        if (width != o.Width || height != o.Height)
        {
            var aspect = (double)width / height;
            var wanted = (double)o.Width / o.Height;
            if (Math.Abs(aspect / wanted - 1) <= o.AspectTolerance)
                sink.Add(FileFindings.WrongSize, $"{width}x{height} px (3:4)", $"{o.Width}x{o.Height} px");
            else
                sink.Add(FileFindings.Stretched, $"{width}x{height} px, ratio {Format.N(aspect, "0.000")}", $"{Format.N(wanted, "0.000")} (3:4), {o.Width}x{o.Height} px");
        }
        if (structure.Components != 3 || structure.Precision != 8)
        {
            var what = structure.Components switch
            {
                1 => "grayscale (1 channel)",
                4 => structure.AdobeTransform == 2 ? "YCCK (4 channels)" : "CMYK (4 channels)",
                _ => $"{structure.Components} channel(s)",
            };
            sink.Add(FileFindings.ColorDepth, structure.Precision != 8 ? $"{structure.Precision}-bit samples, {what}" : what, "24-bit RGB (3 channels x 8 bits)");
        }
        if (structure.Progressive)
            sink.Add(FileFindings.Progressive, "progressive JPEG", "baseline JPEG");
        if (structure.EstimatedQuality is { } q && q < o.MinQuality)
            sink.Add(FileFindings.Quality, $"estimated quality {q}", $"≥ {o.MinQuality}");
        var kb = bytes.Length / 1024.0;
        if (kb < o.TypicalMinKilobytes || kb > o.TypicalMaxKilobytes)
            sink.Add(FileFindings.Bytes, $"{Format.N(kb)} KB", $"{o.TypicalMinKilobytes}–{o.TypicalMaxKilobytes} KB");
        if (structure.Dpi is { } dpi && Math.Abs(dpi - o.Dpi) > 1)
            sink.Add(FileFindings.Dpi, $"{Format.N(dpi, "0")} dpi", $"{o.Dpi} dpi");
        if (orientation is > 1 and <= 8)
            sink.Add(FileFindings.Orientation, $"EXIF orientation {orientation}", "1 (upright)");
        if (!structure.EndsWithEoi)
        {
            sink.Add(FileFindings.Truncated, "no end-of-image marker", "a complete JPEG");
            stopChecks = true; // the missing part decodes as gray: measuring it would only mislead
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var image = Image.Load<Rgb24>(_jpegOnly, stream);
            if (orientation != 1) image.Mutate(x => x.AutoOrient());
            // Pooled: a 480x640 photo is a 0.9 MB buffer per inspection, which would churn the large-object heap.
            var rgb = ArrayPool<byte>.Shared.Rent(image.Width * image.Height * 3);
            image.Frames.RootFrame.CopyPixelDataTo(rgb.AsSpan(0, image.Width * image.Height * 3));
            return (image.Width, image.Height, rgb);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            sink.Add(FileFindings.Corrupt, Short(e.Message), "a complete JPEG");
            return null;
        }
    }

    private static string Short(string message) => message.Length <= 120 ? message : message[..117] + "...";
}
