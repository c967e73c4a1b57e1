// Snowflakes, shards and the permissions the fake grants.

const EPOCH = 1420070400000n;
let seqInc = 0n;

/** Discord-style snowflake; `ts` lets callers pick ids that land on a given shard. */
export function snowflake(ts: number = Date.now()): string {
	seqInc = (seqInc + 1n) & 0xfffn;
	return (((BigInt(ts) - EPOCH) << 22n) | (1n << 17n) | seqInc).toString();
}

/** The shard that owns a guild: `(guild_id >> 22) % shard_count`. DMs belong to shard 0 (`shardOf('0', n)`). */
export function shardOf(guildId: string, count: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Every permission: what the fake grants the bot and every member. */
export const ALL_PERMS = ((1n << 53n) - 1n).toString();
/** Guild id used to route DM interactions: Discord sends DMs to shard 0. */
export const DM_ROUTE = '0';
