using AmiInfra.Docs;
using AmiInfra.Docs.Pages;

// dotnet run --project tools/AmiInfra.Docs            writes every page of docs/reference/
// dotnet run --project tools/AmiInfra.Docs -- --check  writes nothing; exits 1 naming each page that differs from what the code gives
var check = args.Contains("--check");
var unknown = args.Where(a => a != "--check").ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"AmiInfra.Docs: unknown argument '{unknown[0]}'; expected nothing (write the pages) or --check (compare them)");
    return 2;
}

IReadOnlyList<Page> pages =
[
    DeclarationPage.Page,
    CliPage.Page,
    GuardrailsPage.Page,
    StacksPage.Page,
    AwsAcceptsPage.Page,
    PermissionsPage.Page,
];

var stale = new List<string>();
foreach (var page in pages)
{
    var path = Path.Combine(Repository.Root, page.Path);
    var generated = page.Render();
    var committed = File.Exists(path) ? File.ReadAllText(path) : null;
    if (committed == generated)
    {
        continue;
    }

    if (check)
    {
        stale.Add(page.Path);
        Console.Error.WriteLine($"stale: {page.Path} ({(committed is null ? "missing" : "differs from what is generated from " + page.Source)})");
    }
    else
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, generated);
        Console.WriteLine($"wrote {page.Path}");
    }
}

if (check && stale.Count > 0)
{
    Console.Error.WriteLine($"{stale.Count} generated page(s) stale; regenerate them with: {Repository.Command}");
    return 1;
}

Console.WriteLine(check ? $"{pages.Count} generated pages are up to date" : $"{pages.Count} pages generated");
return 0;
