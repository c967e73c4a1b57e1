// See package.json: nothing in fic-archive loads sqlite3 (the state store is on better-sqlite3).
throw new Error('sqlite3 is not installed: fic-archive uses better-sqlite3 (src/state/sqlite-store.ts)');
