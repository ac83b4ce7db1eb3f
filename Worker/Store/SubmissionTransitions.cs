namespace CollectionWorker.Store;

/// <summary>
/// The submission state machine as data: (state, event) → next state. A pair that is not listed is
/// refused. <see cref="SubmissionLedger"/> applies it to the row's real state; stages ask
/// <see cref="Allows"/> before they offer a choice (for example whether a new upload is taken).
/// </summary>
public static class SubmissionTransitions
{
    private static readonly Dictionary<(SubmissionState From, SubmissionEventKind Event), SubmissionState> Table = new()
    {
        [(SubmissionState.Held, SubmissionEventKind.Released)] = SubmissionState.AwaitingInspection,
        [(SubmissionState.AwaitingInspection, SubmissionEventKind.InspectedForReview)] = SubmissionState.AwaitingReview,
        [(SubmissionState.AwaitingInspection, SubmissionEventKind.InspectedRejected)] = SubmissionState.Rejected,
        [(SubmissionState.AwaitingReview, SubmissionEventKind.Approved)] = SubmissionState.Approved,
        [(SubmissionState.AwaitingReview, SubmissionEventKind.Rejected)] = SubmissionState.Rejected,
        // The studio may overturn an automatic rejection while the student has not uploaded again.
        [(SubmissionState.Rejected, SubmissionEventKind.Overturned)] = SubmissionState.Approved,
        [(SubmissionState.Rejected, SubmissionEventKind.Expired)] = SubmissionState.Expired,
        // A newer upload replaces any current one, except after expiry (视为没拍: no upload is taken then).
        [(SubmissionState.Held, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.AwaitingInspection, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.AwaitingReview, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.Approved, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.Rejected, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
    };

    /// <summary>The state a submission in <paramref name="from"/> moves to on <paramref name="e"/>, or null when refused.</summary>
    public static SubmissionState? Next(SubmissionState from, SubmissionEventKind e) => Table.TryGetValue((from, e), out var to) ? to : null;

    public static bool Allows(SubmissionState from, SubmissionEventKind e) => Table.ContainsKey((from, e));

    /// <summary>Every allowed transition, for the docs and the exhaustive test.</summary>
    public static IEnumerable<(SubmissionState From, SubmissionEventKind Event, SubmissionState To)> All =>
        Table.Select(kv => (kv.Key.From, kv.Key.Event, kv.Value));
}

/// <summary>A transition the ledger refused: the event does not apply to the submission's real state.</summary>
public sealed class SubmissionTransitionRefusedException(long submissionId, string studentNumber, SubmissionState? from, SubmissionEventKind e)
    : InvalidOperationException(
        $"Submission {submissionId} of student {studentNumber}: '{e}' does not apply in state " +
        $"'{(from is { } f ? SubmissionStates.ToText(f) : "missing")}'.")
{
    public long SubmissionId { get; } = submissionId;
    public SubmissionState? From { get; } = from;
    public SubmissionEventKind Event { get; } = e;
}
