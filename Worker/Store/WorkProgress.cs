namespace CollectionWorker.Store;

/// <summary>
/// How far a long operation is, for the command line's progress display: the step it is on (Chinese
/// first, English beside), and how many of the step's items are done; Total is null while the number of
/// items is not known (reading a workbook). A stage takes an optional IProgress of it and reports as it goes.
/// </summary>
public readonly record struct WorkProgress(string Step, int Done, int? Total)
{
    /// <summary>A step whose size is not known: shown as running, with its time.</summary>
    public static WorkProgress Started(string step) => new(step, 0, null);
}
