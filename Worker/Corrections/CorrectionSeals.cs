using CollectionWorker.Store;

namespace CollectionWorker.Corrections;

/// <summary>This store's <see cref="CorrectionSeal"/>, for the teacher workbooks (Notifications) and the check of what comes back.</summary>
public sealed class CorrectionSeals(CorrectionsStore store) : ICorrectionSeals
{
    private CorrectionSeal? _seal;

    public async Task<CorrectionSeal> SealAsync(CancellationToken ct = default) => _seal ??= new CorrectionSeal(await store.SecretAsync(ct));
}
