using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>The file stage: bad and odd files each get one clear finding, never an exception.</summary>
public sealed class FileChecksTests(PhotoFolder folder) : IClassFixture<PhotoFolder>
{
    private static readonly PhotoInspector Inspector = PhotoInspector.CreateDefault();

    private InspectionResult InspectFile(string name, byte[] bytes) => Inspector.InspectFile(folder.Write(name, bytes));

    private static void AssertRejectedFor(InspectionResult result, string code)
    {
        Assert.Equal(Verdict.Reject, result.Verdict);
        var finding = Assert.Single(result.Findings, f => f.Code == code);
        Assert.Equal(Severity.Reject, finding.Severity);
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageZh));
    }

    private static byte[] Compliant() => PortraitGenerator.Jpeg(new PortraitSpec());

    [Fact]
    public void Zero_bytes_is_empty()
    {
        var r = InspectFile("empty.jpg", []);
        AssertRejectedFor(r, FileFindings.Empty);
        Assert.Null(r.AnnotatedPng);
    }

    [Fact]
    public void Random_bytes_are_not_a_jpeg()
    {
        var bytes = new byte[30_000];
        new Random(1).NextBytes(bytes);
        bytes[0] = 0x12;
        var r = InspectFile("random.jpg", bytes);
        AssertRejectedFor(r, FileFindings.NotJpeg);
    }

    [Fact]
    public void Random_bytes_behind_a_jpeg_signature_are_corrupt()
    {
        var bytes = new byte[30_000];
        new Random(2).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        var r = InspectFile("random-signature.jpg", bytes);
        Assert.Equal(Verdict.Reject, r.Verdict);
        Assert.Contains(r.Findings, f => f.Code == FileFindings.Corrupt);
    }

    [Fact]
    public void A_truncated_jpeg_is_rejected_as_incomplete()
    {
        var bytes = Compliant();
        var r = InspectFile("truncated.jpg", bytes[..(bytes.Length / 2)]);
        AssertRejectedFor(r, FileFindings.Truncated);
        // Only the file finding: the grey missing half is not measured as a photo.
        Assert.All(r.Findings, f => Assert.StartsWith("FILE_", f.Code));
    }

    public static TheoryData<string, string> OtherFormats => new() { { "png", "PNG" }, { "gif", "GIF" }, { "webp", "WebP" }, { "tiff", "TIFF" }, { "bmp", "BMP" } };

    [Theory]
    [MemberData(nameof(OtherFormats))]
    public void Other_formats_renamed_jpg_are_named_as_what_they_are(string format, string name)
    {
        using var image = PortraitGenerator.Render(new PortraitSpec());
        using var stream = new MemoryStream();
        switch (format)
        {
            case "png": image.Save(stream, new PngEncoder()); break;
            case "gif": image.Save(stream, new GifEncoder()); break;
            case "webp": image.Save(stream, new WebpEncoder()); break;
            case "tiff": image.Save(stream, new TiffEncoder()); break;
            default: image.Save(stream, new SixLabors.ImageSharp.Formats.Bmp.BmpEncoder()); break;
        }
        var r = InspectFile($"renamed-{format}.jpg", stream.ToArray());
        AssertRejectedFor(r, FileFindings.NotJpeg);
        Assert.Equal($"{name} content", r.Findings.Single().Value);
    }

    [Fact]
    public void A_decompression_bomb_header_is_refused_before_decoding()
    {
        var bytes = Compliant();
        // Patch the frame header (SOF0) to announce 60000x60000.
        var sof = FindMarker(bytes, 0xC0);
        bytes[sof + 5] = 60000 >> 8; bytes[sof + 6] = 60000 & 0xFF;
        bytes[sof + 7] = 60000 >> 8; bytes[sof + 8] = 60000 & 0xFF;
        var before = GC.GetAllocatedBytesForCurrentThread();

        var r = InspectFile("bomb.jpg", bytes);

        AssertRejectedFor(r, FileFindings.TooManyPixels);
        Assert.Contains("60000x60000", r.Findings.Single(f => f.Code == FileFindings.TooManyPixels).Value);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000, "the bomb must not be decoded");
    }

    [Fact]
    public void A_cmyk_jpeg_is_rejected_for_its_colour()
    {
        var bytes = TinyJpegWriter.Write(480, 640, 4, (c, x, y) => c == 3 ? 20 : 80 + x, adobe: true);
        var r = InspectFile("cmyk.jpg", bytes);
        AssertRejectedFor(r, FileFindings.ColorDepth);
        Assert.Contains("CMYK", r.Findings.Single(f => f.Code == FileFindings.ColorDepth).Value);
    }

    [Fact]
    public void A_progressive_jpeg_is_rejected_as_such_and_still_decoded_for_evidence()
    {
        using var portrait = PortraitGenerator.Render(new PortraitSpec());
        var bytes = TinyJpegWriter.Write(480, 640, 3, (c, bx, by) => Ycc(portrait[bx * 8 + 4, by * 8 + 4], c), progressive: true);
        var r = InspectFile("progressive.jpg", bytes);
        AssertRejectedFor(r, FileFindings.Progressive);
        Assert.NotNull(r.AnnotatedPng);
        Assert.DoesNotContain(r.Findings, f => f.Code is "BG_COLOR" or "FILE_CORRUPT");
    }

    [Fact]
    public void A_grayscale_jpeg_is_rejected_for_its_colour()
    {
        var spec = new PortraitSpec();
        var bytes = PortraitGenerator.Encode(PortraitGenerator.Render(spec), spec, JpegColorType.Luminance);
        var r = InspectFile("gray.jpg", bytes);
        AssertRejectedFor(r, FileFindings.ColorDepth);
        Assert.Contains("grayscale", r.Findings.Single(f => f.Code == FileFindings.ColorDepth).Value);
    }

    [Fact]
    public void Another_size_at_three_to_four_differs_from_a_stretched_photo()
    {
        var bigger = InspectFile("600x800.jpg", PortraitGenerator.Jpeg(new PortraitSpec { Width = 600, Height = 800 }));
        var stretched = InspectFile("480x600.jpg", PortraitGenerator.Jpeg(new PortraitSpec { Width = 480, Height = 600 }));

        AssertRejectedFor(bigger, FileFindings.WrongSize);
        Assert.DoesNotContain(bigger.Findings, f => f.Code == FileFindings.Stretched);
        AssertRejectedFor(stretched, FileFindings.Stretched);
        Assert.DoesNotContain(stretched.Findings, f => f.Code == FileFindings.WrongSize);
    }

    [Fact]
    public void Low_jpeg_quality_is_rejected_with_the_estimate()
    {
        var r = InspectFile("q40.jpg", PortraitGenerator.Jpeg(new PortraitSpec { Quality = 40 }));
        AssertRejectedFor(r, FileFindings.Quality);
        var estimate = int.Parse(r.Findings.Single(f => f.Code == FileFindings.Quality).Value.Split(' ')[^1]);
        Assert.InRange(estimate, 36, 44);
    }

    [Fact]
    public void Quality_estimate_tracks_the_encoder_setting()
    {
        foreach (var q in new[] { 60, 75, 90 })
        {
            var s = JpegStructure.Read(PortraitGenerator.Jpeg(new PortraitSpec { Quality = q }));
            Assert.InRange(s.EstimatedQuality!.Value, q - 3, q + 3);
        }
    }

    [Fact]
    public void Dpi_other_than_300_is_only_information_and_missing_dpi_is_not_reported()
    {
        var at72 = InspectFile("72dpi.jpg", PortraitGenerator.Jpeg(new PortraitSpec { Dpi = 72 }));
        Assert.Equal(Verdict.Accept, at72.Verdict);
        Assert.Equal(Severity.Info, at72.Findings.Single(f => f.Code == FileFindings.Dpi).Severity);

        // JFIF density units 0 = no dpi recorded (ImageSharp would report 96): nothing to say.
        var bytes = PortraitGenerator.Jpeg(new PortraitSpec());
        var app0 = FindMarker(bytes, 0xE0);
        bytes[app0 + 11] = 0;
        Assert.DoesNotContain(InspectFile("nodpi.jpg", bytes).Findings, f => f.Code == FileFindings.Dpi);
    }

    [Fact]
    public void File_size_outside_the_typical_range_is_information_only()
    {
        var r = InspectFile("big.jpg", PortraitGenerator.Jpeg(new PortraitSpec { Quality = 98, Noise = 3 }));
        Assert.Equal(Severity.Info, r.Findings.Single(f => f.Code == FileFindings.Bytes).Severity);
        Assert.Equal(Verdict.Accept, r.Verdict);
    }

    [Fact]
    public void Exif_orientation_is_honoured()
    {
        // Stored sideways (640x480) with orientation 6 ("rotate 90° clockwise to view"): upright it is a compliant 480x640.
        var spec = new PortraitSpec();
        var image = PortraitGenerator.Render(spec);
        image.Mutate(x => x.Rotate(RotateMode.Rotate270));
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var r = InspectFile("sideways.jpg", PortraitGenerator.Encode(image, spec));

        Assert.Equal(Verdict.Accept, r.Verdict);
        Assert.Equal(Severity.Info, r.Findings.Single(f => f.Code == FileFindings.Orientation).Severity);
        using var png = Image.Load<Rgb24>(r.AnnotatedPng!);
        Assert.Equal(640, png.Height);
    }

    [Fact]
    public void A_file_too_large_to_be_a_photo_is_not_read()
    {
        var small = PhotoInspector.CreateDefault(new InspectionOptions { File = { MaxFileMegabytes = 1 } });
        var path = folder.Write("huge.jpg", new byte[1024 * 1024 + 10]);
        var r = small.InspectFile(path);
        Assert.Equal(FileFindings.TooLarge, Assert.Single(r.Findings).Code);
    }

    private static int FindMarker(byte[] bytes, int marker)
    {
        for (var i = 2; i < bytes.Length - 1; i++)
            if (bytes[i] == 0xFF && bytes[i + 1] == marker) return i;
        throw new InvalidOperationException($"marker {marker:X2} not found");
    }

    private static int Ycc(Rgb24 p, int component) => component switch
    {
        0 => (int)Math.Round(0.299 * p.R + 0.587 * p.G + 0.114 * p.B),
        1 => (int)Math.Round(128 - 0.168736 * p.R - 0.331264 * p.G + 0.5 * p.B),
        _ => (int)Math.Round(128 + 0.5 * p.R - 0.418688 * p.G - 0.081312 * p.B),
    };
}
