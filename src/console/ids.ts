/** The console's one server, channel, user and application, and snowflake-shaped ids for everything it makes. */

export const DEFAULT_USER = '100000000000000001';
export const GUILD_ID = '200000000000000002';
export const CHANNEL_ID = '300000000000000003';
export const APPLICATION_ID = '400000000000000004';

let sequence = 0n;
/** Increasing snowflake-shaped ids. */
export const snowflake = () => String(1_300_000_000_000_000_000n + ++sequence);
