namespace CollectionWorker.Store;

/// <summary>What the admin reads when the store cannot be used: what is wrong, and how to restore it.</summary>
public static class StoreMessages
{
    public const string StopAndRestore =
        "服务停止，不再写入任何记录。请勿在服务运行时删除或替换 collection.db：先停止服务，再按 docs/operations.md “恢复”一节从备份恢复。 " +
        "The service stops and writes nothing more. Never delete or replace collection.db while the service runs: stop it first, " +
        "then restore from a backup as docs/operations.md ('Restore') describes.";

    public static string Damaged(string file, string sqliteMessage) =>
        $"存储文件 {file} 已损坏（{sqliteMessage}），无法使用。恢复方法：停止服务；把损坏的文件改名保留（例如 collection.db.damaged）；" +
        "把最近一次备份中的 collection.db（backup 命令生成）复制回数据目录；再启动服务。archive/ 中的照片原件不受影响。 " +
        $"The store {file} is damaged (SQLite: {sqliteMessage}) and cannot be used. To restore: stop the service; rename the damaged file " +
        "and keep it (e.g. collection.db.damaged); copy the newest backup's collection.db (made by the backup verb) into the data directory; " +
        "start again. The original photos in archive/ are not affected. See docs/operations.md, 'Restore'.";

    public static string MissingBesideArchive(string root, string file, int photos) =>
        $"数据目录 {root} 中没有存储文件 {Path.GetFileName(file)}，但 archive/ 中已有 {photos} 张照片原件：存储文件可能被删除或移走了，" +
        "服务不会在这里新建一个空的存储。请从备份恢复 collection.db（见 docs/operations.md “恢复”）；若要开始新的采集活动，请使用新的数据目录。 " +
        $"The data directory {root} has no store ({Path.GetFileName(file)}) but its archive/ holds {photos} photo(s): the store was probably " +
        "deleted or moved, and the service will not start an empty one here. Restore collection.db from a backup (docs/operations.md, " +
        "'Restore'); to start a new campaign, use a new data directory.";

    public static string EmptyBesideArchive(string root, string file, int photos) =>
        $"存储文件 {file} 中没有任何上传记录，但数据目录 {root} 的 archive/ 中已有 {photos} 张照片原件：这个存储不是这些照片的存储（可能被替换成了空文件）。" +
        "请从备份恢复 collection.db（见 docs/operations.md “恢复”）；若要开始新的采集活动，请使用新的数据目录。 " +
        $"The store {file} records no upload at all, but archive/ in {root} holds {photos} photo(s): this is not the store those photos " +
        "belong to (perhaps it was replaced by an empty one). Restore collection.db from a backup (docs/operations.md, 'Restore'); " +
        "to start a new campaign, use a new data directory.";

    public static string PostgresUnreachable(string database, string error) =>
        $"无法使用 {database}（{error}）。请检查 Storage:ConnectionString（主机、端口、数据库名、用户名和密码）、数据库服务器是否在运行、" +
        "以及该用户是否有建表权限（见 docs/postgresql.md）。 " +
        $"The store {database} cannot be used ({error}). Check Storage:ConnectionString (host, port, database, user name and password), " +
        "that the server is running, and that the user may create tables (docs/postgresql.md).";
}
