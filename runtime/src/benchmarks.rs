//! The benchmarks the runtime exposes to `lineage-node benchmark pallet`.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_datasets, Datasets]
	[pallet_models, Models]
	[pallet_compute, Compute]
	[pallet_rewards, Rewards]
	[pallet_lineage_params, LineageParams]
);
