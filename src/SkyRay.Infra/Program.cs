using Pulumi;
using SkyRay.Infra;

// The whole program: read the skyray:* config, plan, declare. Everything else lives in FleetProgram and the core.
return await Deployment.RunAsync(() => FleetProgram.RunAsync()).ConfigureAwait(false);
