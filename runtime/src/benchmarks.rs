//! The benchmarks the runtime exposes to `lineage-node benchmark pallet`: every pallet with calls
//! (Grandpa's one call, `report_equivocation`, keeps the formula its pallet ships: its benchmark
//! measures proof checking only and Lineage has no offences to report into).

use crate::Runtime;

impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_treasury, Treasury]
	[pallet_migrations, MultiBlockMigrations]
	[pallet_datasets, Datasets]
	[pallet_models, Models]
	[pallet_compute, Compute]
	[pallet_rewards, Rewards]
	[pallet_lineage_params, LineageParams]
);
