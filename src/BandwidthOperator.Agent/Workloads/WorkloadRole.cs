namespace BandwidthOperator.Agent.Workloads;

/// <summary>Why a node holds a workload's floor.</summary>
public enum WorkloadRole
{
    /// <summary>The workload runs here.</summary>
    Running,

    /// <summary>The workload runs here and is being migrated away: the floor stays until the switch-over.</summary>
    MigrationSource,

    /// <summary>The workload is being migrated here: the floor is admitted and built before the switch-over.</summary>
    MigrationTarget,
}
