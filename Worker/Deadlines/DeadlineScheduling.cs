using CollectionWorker.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace CollectionWorker.Deadlines;

/// <summary>
/// The Quartz job store's file. A sibling of the store (scheduler.db beside collection.db) rather
/// than the same file: the deadline rows are the truth and Quartz's tables are re-derived from them
/// on every start, so this file may be lost or deleted without losing a deadline; and Quartz's
/// polling writes never compete with the stages' transactions for the store's single writer lock.
/// </summary>
public sealed class SchedulerFile(DataPaths paths, IOptions<DeadlinesOptions> options)
{
    public string Path { get; } = System.IO.Path.IsPathRooted(options.Value.SchedulerDatabase)
        ? options.Value.SchedulerDatabase
        : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(paths.DatabaseFile)!, options.Value.SchedulerDatabase);

    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30,
    }.ToString();

    /// <summary>WAL persists in the file; set before Quartz opens it so its readers never block its writer.</summary>
    public void EnsureWal()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}

/// <summary>Registers the deadlines stage: the hand-off helper for every verb, Quartz only for the service.</summary>
public static class DeadlineScheduling
{
    public const string DeadlineGroup = "deadlines";
    public const string MilestoneGroup = "milestones";
    public static readonly JobKey DeadlineJobKey = new("deadline", "deadlines");
    public static readonly JobKey MilestoneJobKey = new("milestone", "campaign");

    /// <summary>
    /// How late a trigger may fire before Quartz calls it a misfire and applies its misfire
    /// instruction (fire now / fire once and proceed). Below it a late trigger simply fires late;
    /// above it (the service was down) the instruction decides. One minute: long enough that a busy
    /// moment is not a misfire, short enough that a restart acts at once.
    /// </summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(1);

    public static void AddDeadlines(IServiceCollection services)
    {
        services.AddSingleton<DeadlineRows>();
        services.AddSingleton<SchedulerFile>();
        services.AddSingleton<CampaignPlan>();
        services.AddSingleton<ICampaignMilestones>(sp => sp.GetRequiredService<CampaignPlan>());
        services.AddSingleton<TeacherSummaries>();
        services.AddSingleton<DeadlineActions>();
        services.AddSingleton<MilestoneActions>();
        services.AddSingleton<DeadlinePlanner>();
        services.AddSingleton<ScheduleReport>();
    }

    /// <summary>The persistent scheduler and the planner; for the <c>run</c> verb only.</summary>
    /// <summary>
    /// With PostgreSQL: how often each node tells the cluster it is alive, and how long after a missed
    /// check-in the others take its triggers over (a job it was running, with RequestsRecovery, runs again).
    /// </summary>
    public static readonly TimeSpan ClusterCheckinInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan ClusterCheckinMisfireThreshold = TimeSpan.FromSeconds(15);

    public static void AddDeadlineScheduler(IServiceCollection services, TimeProvider time, StoreProvider provider = StoreProvider.Sqlite)
    {
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            q.UsePersistentStore(store =>
            {
                if (provider == StoreProvider.PostgreSql)
                {
                    // The store's database, Quartz's own tables (qrtz_*), clustered: the database decides which node fires a trigger.
                    store.UsePostgres(source => source.DataSourceFactory = sp =>
                    {
                        var database = sp.GetRequiredService<Database>();
                        QuartzPostgresSchema.Ensure(database);
                        return Npgsql.NpgsqlDataSource.Create(database.ConnectionString);
                    });
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = ClusterCheckinMisfireThreshold;
                    });
                }
                else
                    store.UseSqlite(source => source.DataSourceFactory = sp =>
                    {
                        var file = sp.GetRequiredService<SchedulerFile>();
                        file.EnsureWal();
                        return SqliteFactory.Instance.CreateDataSource(file.ConnectionString);
                    });
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    o.MisfireThreshold = MisfireThreshold;
                    if (provider == StoreProvider.PostgreSql) o.TablePrefix = QuartzPostgresSchema.TablePrefix;
                });
            });
            // Durable so they stay stored with no trigger; recoverable so a firing cut short by a crash runs again.
            q.AddJob<DeadlineJob>(j => j.WithIdentity(DeadlineJobKey).StoreDurably().RequestRecovery());
            q.AddJob<MilestoneJob>(j => j.WithIdentity(MilestoneJobKey).StoreDurably().RequestRecovery());
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<DeadlineService>();
    }
}
