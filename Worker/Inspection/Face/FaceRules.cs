using System.Globalization;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Turns face measurements into findings against the standard's limits (SPEC.md, limits from
/// <see cref="FaceOptions"/>). Composition rules reject; the pose estimates that are only good to
/// a few degrees (turn, shoulders) and the stretch signal ask the studio to look.
/// </summary>
public static class FaceRules
{
    public const string NoFace = "FACE_NONE";
    public const string SeveralFaces = "FACE_MULTIPLE";
    public const string HeadTop = "FACE_HEAD_TOP";
    public const string EyeLine = "FACE_EYE_LINE";
    public const string Width = "FACE_WIDTH";
    public const string OffCentre = "FACE_OFF_CENTRE";
    public const string Roll = "FACE_ROLL";
    public const string Yaw = "FACE_YAW";
    public const string Shoulders = "FACE_SHOULDERS";
    public const string Proportion = "FACE_PROPORTION";

    public static List<FaceFinding> Evaluate(FaceMeasurements m, FaceOptions o)
    {
        var findings = new List<FaceFinding>();
        if (m.FaceCount == 0)
        {
            findings.Add(new(NoFace, FaceFindingSeverity.Reject, "0 faces", "exactly 1",
                "未检测到人脸。请上传一张正面、五官清晰的免冠证件照。",
                "No face was found. Upload a frontal ID photo with the face clearly visible."));
            return findings;
        }
        if (m.FaceCount > 1)
            findings.Add(new(SeveralFaces, FaceFindingSeverity.Reject, $"{m.FaceCount} faces", "exactly 1",
                $"照片中检测到 {m.FaceCount} 张人脸。照片中只能有本人一人，背景中不得出现其他人或人像。",
                $"{m.FaceCount} faces were found. Only you may be in the photo: no other person or picture of a person in the background."));

        if (m.HeadTopY is { } top && (top < o.HeadTopMinPx || top > o.HeadTopMaxPx))
            findings.Add(new(HeadTop, FaceFindingSeverity.Reject, $"head top {top} px from the top edge", $"{o.HeadTopMinPx}–{o.HeadTopMaxPx} px",
                top < o.HeadTopMinPx
                    ? $"头顶距照片上边缘 {top} 像素，应为 {o.HeadTopMinPx}–{o.HeadTopMaxPx} 像素：头部太靠上或太大，请重新裁剪，头顶上方多留空间。"
                    : $"头顶距照片上边缘 {top} 像素，应为 {o.HeadTopMinPx}–{o.HeadTopMaxPx} 像素：头部太靠下，请重新裁剪，减少头顶上方的空间。",
                top < o.HeadTopMinPx
                    ? $"The top of the head is {top} px from the top edge; it must be {o.HeadTopMinPx}–{o.HeadTopMaxPx} px. The head is too high or too large: re-crop with more space above the head."
                    : $"The top of the head is {top} px from the top edge; it must be {o.HeadTopMinPx}–{o.HeadTopMaxPx} px. The head is too low: re-crop with less space above the head."));

        if (m.EyeLineY is { } eyes && (eyes < o.EyeLineMinPx || eyes > o.EyeLineMaxPx))
            findings.Add(new(EyeLine, FaceFindingSeverity.Reject, $"eyes {F0(eyes)} px from the top edge", $"{o.EyeLineMinPx}–{o.EyeLineMaxPx} px",
                $"双眼距照片上边缘 {F0(eyes)} 像素，应为 {o.EyeLineMinPx}–{o.EyeLineMaxPx} 像素。请重新裁剪，使眼睛位于规定高度。",
                $"The eyes are {F0(eyes)} px from the top edge; they must be {o.EyeLineMinPx}–{o.EyeLineMaxPx} px. Re-crop so the eyes sit at that height."));

        if (m.FaceWidthPx is { } width && (width < o.FaceWidthMinPx || width > o.FaceWidthMaxPx))
            findings.Add(new(Width, FaceFindingSeverity.Reject, $"face width {F0(width)} px", $"{o.FaceWidthMinPx}–{o.FaceWidthMaxPx} px",
                width < o.FaceWidthMinPx
                    ? $"脸宽 {F0(width)} 像素，应为 {o.FaceWidthMinPx}–{o.FaceWidthMaxPx} 像素：人像太小，请拍得更近或裁剪得更紧。"
                    : $"脸宽 {F0(width)} 像素，应为 {o.FaceWidthMinPx}–{o.FaceWidthMaxPx} 像素：人像太大，请裁剪时保留更多头部周围的空间。",
                width < o.FaceWidthMinPx
                    ? $"The face is {F0(width)} px wide; it must be {o.FaceWidthMinPx}–{o.FaceWidthMaxPx} px. The head is too small: shoot closer or crop tighter."
                    : $"The face is {F0(width)} px wide; it must be {o.FaceWidthMinPx}–{o.FaceWidthMaxPx} px. The head is too large: crop with more space around it."));

        if (m.CentreOffsetPx is { } offset && MathF.Abs(offset) > o.CentreTolerancePx)
            findings.Add(new(OffCentre, FaceFindingSeverity.Reject, $"{F0(MathF.Abs(offset))} px {(offset > 0 ? "right" : "left")} of centre", $"≤ {o.CentreTolerancePx} px",
                $"人像偏{(offset > 0 ? "右" : "左")} {F0(MathF.Abs(offset))} 像素（允许 {o.CentreTolerancePx} 像素）。请重新裁剪，使人像左右居中。",
                $"The head is {F0(MathF.Abs(offset))} px {(offset > 0 ? "right" : "left")} of the centre (at most {o.CentreTolerancePx} px allowed). Re-crop so the head is centred."));

        if (m.RollDegrees is { } roll && MathF.Abs(roll) > o.MaxRollDegrees)
            findings.Add(new(Roll, FaceFindingSeverity.Reject, $"head tilted {F1(MathF.Abs(roll))}°", $"≤ {F1((float)o.MaxRollDegrees)}°",
                $"头部歪斜约 {F1(MathF.Abs(roll))}°。请端正坐姿、头部摆正后重拍。",
                $"The head is tilted by about {F1(MathF.Abs(roll))}°. Sit upright with the head straight and take the photo again."));

        if (m.YawDegrees is { } yaw && MathF.Abs(yaw) > o.MaxYawDegrees)
            findings.Add(new(Yaw, FaceFindingSeverity.Review, $"head turned about {F0(MathF.Abs(yaw))}° ({(yaw > 0 ? "to the image's right" : "to the image's left")})", $"≤ {F0((float)o.MaxYawDegrees)}°",
                $"头部侧转约 {F0(MathF.Abs(yaw))}°，双耳不对称。请正对镜头重拍。",
                $"The head is turned by about {F0(MathF.Abs(yaw))}°, so the ears are not symmetric. Face the camera straight on and take the photo again."));

        if (m.ShoulderTiltDegrees is { } shoulders && MathF.Abs(shoulders) > o.MaxShoulderTiltDegrees)
            findings.Add(new(Shoulders, FaceFindingSeverity.Review, $"shoulders tilted {F1(MathF.Abs(shoulders))}°", $"≤ {F1((float)o.MaxShoulderTiltDegrees)}°",
                $"双肩不平（倾斜约 {F1(MathF.Abs(shoulders))}°）。请坐正，双肩放平后重拍。",
                $"The shoulders are not level (about {F1(MathF.Abs(shoulders))}°). Sit upright with level shoulders and take the photo again."));

        if (m.ProportionRatio is { } ratio && (ratio < o.ProportionMin || ratio > o.ProportionMax))
            findings.Add(new(Proportion, FaceFindingSeverity.Review, $"eye distance / eye-to-mouth = {ratio.ToString("0.00", CultureInfo.InvariantCulture)}",
                $"{o.ProportionMin.ToString("0.00", CultureInfo.InvariantCulture)}–{o.ProportionMax.ToString("0.00", CultureInfo.InvariantCulture)}",
                ratio > o.ProportionMax
                    ? "面部比例异常，照片可能被横向拉伸（或纵向压缩）。请只裁剪、不要拉伸照片。"
                    : "面部比例异常，照片可能被纵向拉伸（或横向压缩）。请只裁剪、不要拉伸照片。",
                ratio > o.ProportionMax
                    ? "The face's proportions are unusual: the photo looks stretched sideways (or squeezed vertically). Crop the photo; never stretch it."
                    : "The face's proportions are unusual: the photo looks stretched vertically (or squeezed sideways). Crop the photo; never stretch it."));

        return findings;
    }

    private static string F0(float v) => v.ToString("0", CultureInfo.InvariantCulture);
    private static string F1(float v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
