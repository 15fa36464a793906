using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>LMIS services started as separate processes for one stack, stopped together with their data.</summary>
public sealed class ServiceProcessSet(string purpose) : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly TempDirectory _data = new(purpose);

    public string DataDirectory => _data.Path;

    /// <summary>What every service of the stack is given: the broker, the data folder, the gateway's token key.</summary>
    public Dictionary<string, string> Shared(string broker, string gatewayTokenKey) => new()
    {
        ["ConnectionStrings__messaging"] = broker,
        ["Lmis__DataDirectory"] = _data.Path,
        ["Lmis__Security__GatewayTokenKey"] = gatewayTokenKey,
    };

    public ServiceProcess Start(string name, string folder, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var process = ServiceProcess.Start(name, Repository.Binary(folder, assembly), environment);
        _processes.Add(process);
        return process;
    }

    public Task WaitUntilHealthyAsync() =>
        Task.WhenAll(_processes.Select(p => p.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60))));

    /// <summary>Every process's recent output, for failure messages.</summary>
    public string Output(int lines) => string.Join("\n", _processes.Select(p => p.Output(lines)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        _data.Dispose();
    }
}
