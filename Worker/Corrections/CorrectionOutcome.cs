using CollectionWorker.Sheets;

namespace CollectionWorker.Corrections;

public enum CorrectionOutcomeKind { Accepted, AlreadyReceived, Unchanged, Invalid, NotYours, Tampered, UnknownStudent, NoteOnly }

/// <summary>What became of one typed correction (or of a row, when the whole row was refused).</summary>
public sealed record CorrectionOutcome(int Row, string StudentNumber, string Name, DiplomaField? Field, string OldValue, string NewValue,
    CorrectionOutcomeKind Kind, string MessageZh, string MessageEn)
{
    public bool Refused => Kind is CorrectionOutcomeKind.Invalid or CorrectionOutcomeKind.NotYours or CorrectionOutcomeKind.Tampered
        or CorrectionOutcomeKind.UnknownStudent;

    /// <summary>The outcome as the receipt and the e-mail show it.</summary>
    public string Label => Kind switch
    {
        CorrectionOutcomeKind.Accepted => "已收到 Accepted",
        CorrectionOutcomeKind.AlreadyReceived => "已收到过 Already received",
        CorrectionOutcomeKind.Unchanged => "无需更正 Same as on record",
        CorrectionOutcomeKind.Invalid => "有误，未收 Invalid",
        CorrectionOutcomeKind.NotYours => "非本班主任的学生 Not your student",
        CorrectionOutcomeKind.Tampered => "隐藏键被改动 Key altered",
        CorrectionOutcomeKind.UnknownStudent => "学生不存在 Unknown student",
        CorrectionOutcomeKind.NoteOnly => "只有备注 Note only",
        _ => Kind.ToString(),
    };
}
