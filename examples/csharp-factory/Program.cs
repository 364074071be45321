using Amazon.CDK;
using AmiInfra.Constructs.Guardrails;
using CSharpFactory;

// A two-image AMI factory from AmiInfra.Constructs alone: no factory.json. One stack per distribution region holds
// the regional AMI key and the Recycle Bin rules; the factory stack builds, shares and retires the images.
var app = new App();
var settings = new FactorySettings
{
    Name = "csharp",
    Account = "123456789012",
    HomeRegion = "us-east-1",
    Regions = ["us-east-1", "eu-west-1"],
    LaunchAccounts = ["111122223333"],
    LaunchOrganizationalUnitArns = ["arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34"],
};

var regional = settings.Regions.Select(region => new RegionStack(app, settings, region)).ToList();
var factory = new ImageFactoryStack(app, settings);
foreach (var stack in regional)
{
    factory.AddDependency(stack, "the distributions name the regional keys by alias");
}

// Tags reach every taggable resource the constructs make; a resource's own tags win over these (priority 10 < 50).
Tags.Of(app).Add("team", "platform", new TagProps { Priority = 10 });
Tags.Of(app).Add("amiinfra:factory", settings.Name);

// The guardrails run before synthesis: an error annotation fails `cdk synth`.
Guardrails.Check(app);
app.Synth();
