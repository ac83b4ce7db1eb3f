using Microsoft.Extensions.Options;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// The face in the inspection pipeline: runs BlazeFace on the decoded photo, measures it against the
/// standard (with the backdrop silhouette for head top and shoulders), reports through the shared
/// findings (so <c>Inspection:Severity</c> governs face codes too), and hands the detected face to the
/// light checks that run after it. Runs first (order 50).
/// </summary>
public sealed class FaceCheck(FaceDetector detector, IOptions<FaceOptions> options) : IPhotoCheck
{
    public int Order => 50;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(FaceRules.NoFace, Severity.Reject, "未检测到人脸。", "No face was found."),
        new(FaceRules.SeveralFaces, Severity.Reject, "照片中有多张人脸。", "More than one face was found."),
        new(FaceRules.HeadTop, Severity.Reject, "头顶位置不符合标准（应距上边缘 50–110 像素）。", "The top of the head is not 50–110 px from the top edge."),
        new(FaceRules.EyeLine, Severity.Reject, "眼睛位置不符合标准（应距上边缘 200–300 像素）。", "The eyes are not 200–300 px from the top edge."),
        new(FaceRules.Width, Severity.Reject, "脸部宽度不符合标准（应为 180–300 像素）。", "The face is not 180–300 px wide."),
        new(FaceRules.OffCentre, Severity.Reject, "人像没有左右居中。", "The portrait is not centred."),
        new(FaceRules.Roll, Severity.Reject, "头部歪斜。", "The head is tilted."),
        new(FaceRules.Yaw, Severity.Review, "头部可能没有正对镜头。", "The head may be turned."),
        new(FaceRules.Shoulders, Severity.Info, "双肩可能不平。", "The shoulders may not be level."),
        new(FaceRules.Proportion, Severity.Info, "脸部比例异常，照片可能被拉伸。", "The face's proportions look stretched."),
        new(Glasses, Severity.Review, "疑似佩戴眼镜：按通知要求不能佩戴眼镜，请摘下眼镜重拍。",
            "Glasses seem to be worn: the notice does not allow glasses; take them off and reshoot."),
        new(EyesClosed, Severity.Review, "疑似闭眼：双眼应自然睁开并平视。", "The eyes may be closed: both eyes must be open, looking straight ahead."),
        new(HairOverEyes, Severity.Review, "疑似头发遮挡眉毛或眼睛：头发不得遮挡眉毛、眼睛和耳朵。",
            "Hair may cover the brows or eyes: hair must not cover the brows, eyes or ears."),
        new(MouthOpen, Severity.Review, "疑似露齿或张嘴：嘴唇应自然闭合，请闭上嘴唇、表情自然地重拍。",
            "Teeth seem to show: the lips must be naturally closed; reshoot with the lips closed and a natural expression."),
        new(HairOverEars, Severity.Review, "疑似头发遮挡耳朵：头发不得遮挡耳朵，长发请披在肩后。",
            "Hair may cover the ears: hair must not cover the ears; put long hair behind the shoulders."),
    ];

    public const string HairOverEars = "FACE_HAIR_OVER_EARS";
    public const string MouthOpen = "FACE_MOUTH_OPEN";

    public const string Glasses = "FACE_GLASSES";
    public const string EyesClosed = "FACE_EYES_CLOSED";
    public const string HairOverEyes = "FACE_HAIR_OVER_EYES";

    /// <summary>
    /// The 256 network looks for small faces only where the backdrop leaves room for one (<see cref="SecondFaceRoom"/>);
    /// false = on every photo, as before (the benchmark compares both on photos with a photo in them).
    /// </summary>
    public bool LookOnlyWhereRoom { get; init; } = true;

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var pixels = new FacePixels(photo.Rgb, photo.Width, photo.Height);
        var detected = detector.Detect(new RgbPixels(photo.Rgb, photo.Width, photo.Height),
            LookOnlyWhereRoom ? found => SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, found) > 0 : null);
        var faces = detected.Select(f => f with { Landmarks = EyeLocator.Refine(pixels, f.Landmarks) }).ToList();
        var m = FaceGeometry.Measure(faces, photo.Width, photo.Height, ForegroundMask.FromBackdrop(photo));
        var o = options.Value;
        foreach (var f in FaceRules.Evaluate(m, o))
            findings.Add(f.Code, f.Value, f.Limit, f.MessageZh, f.MessageEn, atMostReview: Marginal(f.Code, m, o));

        if (faces.Count > 0 && FaceFlagMeasurements.Measure(pixels, faces[0].Landmarks, detected[0].Landmarks, photo.Background.Median) is { } flags)
        {
            photo.Evidence.Note($"GLASSES {flags.GlassesArc:0.00}/{flags.GlassesBridge:0.00} EYE WHITE {flags.EyeOpening:0.000} HAIR {flags.HairCover:0.00} EARS {flags.EarCover:0.00} TEETH {flags.Teeth:0.0000} LIP GAP {flags.LipGap:0.000}");
            // A frame shows twice: a lower rim under both eyes and a bridge over the nose. Shadows under the
            // eyes (dark skin, tired eyes) make the first alone.
            if (flags.GlassesArc >= o.GlassesArcMin && flags.GlassesBridge >= o.GlassesBridgeMin)
                findings.Add(Glasses, $"frame-like rim under the eyes on {flags.GlassesArc:P0} of columns, bridge line on {flags.GlassesBridge:P0}",
                    $"< {o.GlassesArcMin:P0} or < {o.GlassesBridgeMin:P0}");
            if (flags.HairCover > o.HairCoverMax)
                findings.Add(HairOverEyes, $"{flags.HairCover:P0} hair-dark from brow to eye", $"≤ {o.HairCoverMax:P0}");
            else
            {
                // With the eyes hidden by hair the landmarks drift and the eyes' whites are gone too: the
                // hair flag alone says it, so the eyes are judged only when they are clear.
                if (flags.EyeOpening < o.EyeWhiteMin)
                    findings.Add(EyesClosed, $"{flags.EyeOpening:P1} of the box around an eye is eye-white", $"≥ {o.EyeWhiteMin:P1}");
            }
            if (flags.EarCover > o.EarCoverMax)
                findings.Add(HairOverEars, $"{flags.EarCover:P0} hair-dark beside and below an ear", $"≤ {o.EarCoverMax:P0}");
            if (flags.Teeth >= o.TeethMin)
                findings.Add(MouthOpen, $"teeth between the lips: a block of {flags.Teeth * 100:0.00}% of the eye distance squared", $"< {o.TeethMin * 100:0.00}%");
            else if (flags.LipGap >= o.LipGapMin)
                findings.Add(MouthOpen, $"lips parted: a grey band {flags.LipGap:0.000} of the eye distance high between them", $"< {o.LipGapMin:0.000}");
        }

        foreach (var face in faces)
        {
            var b = face.Box;
            photo.Evidence.Region(PixelRect.FromEdges((int)b.Left, (int)b.Top, (int)b.Right, (int)b.Bottom, photo.Width, photo.Height),
                face == faces[0] ? Rgb.Cyan : Rgb.Red, $"FACE {face.Score:0.00}");
            var l = face.Landmarks;
            foreach (var p in new[] { l.RightEye, l.LeftEye, l.NoseTip, l.Mouth, l.RightEarTragion, l.LeftEarTragion })
                photo.Evidence.Region(PixelRect.FromEdges((int)p.X - 2, (int)p.Y - 2, (int)p.X + 3, (int)p.Y + 3, photo.Width, photo.Height), Rgb.Yellow, "");
        }
        if (m.EyeLineY is { } eyes) photo.Evidence.Note($"EYES {eyes:0} PX");
        if (m.HeadTopY is { } top) photo.Evidence.Note($"HEAD TOP {top} PX");
        if (m.FaceWidthPx is { } width) photo.Evidence.Note($"FACE WIDTH {width:0} PX");

        // The light checks measure the real face, not the standard's expected box.
        if (faces.Count > 0)
        {
            var b = faces[0].Box;
            photo.FaceRegion = PixelRect.FromEdges((int)b.Left, (int)b.Top, (int)b.Right, (int)b.Bottom, photo.Width, photo.Height);
        }
    }

    /// <summary>Outside its band by no more than Inspection:Face:MarginalPx: within what the landmarks can tell apart.</summary>
    private static bool Marginal(string code, FaceMeasurements m, FaceOptions o)
    {
        static double Outside(double v, double min, double max) => v < min ? min - v : v > max ? v - max : 0;
        var by = code switch
        {
            FaceRules.HeadTop when m.HeadTopY is { } t => Outside(t, o.HeadTopMinPx, o.HeadTopMaxPx),
            FaceRules.EyeLine when m.EyeLineY is { } e => Outside(e, o.EyeLineMinPx, o.EyeLineMaxPx),
            FaceRules.Width when m.FaceWidthPx is { } w => Outside(w, o.FaceWidthMinPx, o.FaceWidthMaxPx),
            FaceRules.OffCentre when m.CentreOffsetPx is { } c => Math.Abs(c) - o.CentreTolerancePx,
            _ => double.MaxValue,
        };
        return by <= o.MarginalPx;
    }
}
