using Microsoft.Playwright;

namespace Lmis.AppHost.Tests;

/// <summary>Screenshots kept with the test results: attached to the test, and written beside the test assembly.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"dashboard-{name}.png");
        var png = await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        await File.WriteAllTextAsync(Path.ChangeExtension(path, ".html"), await page.ContentAsync());
        // The results folder adds the extension of the media type.
        TestContext.Current.AddAttachment($"dashboard-{name}", png, "image/png");
        TestContext.Current.SendDiagnosticMessage($"Screenshot: {path}");
    }
}
