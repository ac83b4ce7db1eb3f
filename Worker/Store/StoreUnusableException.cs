namespace CollectionWorker.Store;

/// <summary>
/// The store cannot be used as it is (damaged, deleted or replaced while running, or empty beside an
/// archive of photos). The message says what is wrong and how to restore it, in Chinese and English;
/// nothing is written to the store after this.
/// </summary>
public sealed class StoreUnusableException(string message, Exception? inner = null) : Exception(message, inner);
