using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Payments;

/// <summary>The Payments stage's services; the inbox watcher runs only in the service.</summary>
public static class PaymentServices
{
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddSingleton<PaymentFileReader>();
        services.AddSingleton<PaymentValidator>();
        services.AddSingleton<PaymentRecords>();
        services.AddSingleton<PaymentImporter>();
        return services;
    }

    public static IServiceCollection AddPaymentsHostedServices(this IServiceCollection services) =>
        services.AddHostedService<PaymentsInboxWatcher>();
}
