namespace Ihui.Features;

/// <summary>Anchor type for assembly scanning (Mediator, Carter, validators, installers).</summary>
public sealed class FeaturesAssembly;
