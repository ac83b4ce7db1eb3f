using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Sheets;

/// <summary>
/// An image file reduced to fit a box, as a JPEG: the thumbnails of the review sheet and the annotated
/// photo in a student's e-mail. Null when the file is absent or not an image, so a picture that cannot
/// be made leaves a gap rather than stopping a sheet or an e-mail.
/// </summary>
public static class SmallJpeg
{
    public static async Task<byte[]?> FromFileAsync(string file, ResizeOptions fit, JpegEncoder encoder, CancellationToken ct)
    {
        if (!File.Exists(file)) return null;
        try
        {
            await using var input = File.OpenRead(file);
            using var image = await Image.LoadAsync<Rgb24>(input, ct);
            image.Mutate(x => x.Resize(fit));
            using var output = new MemoryStream();
            await image.SaveAsJpegAsync(output, encoder, ct);
            return output.ToArray();
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or IOException)
        {
            return null;
        }
    }
}
