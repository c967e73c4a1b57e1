/** Reading a zip archive held in memory (an EPUB), with yauzl. */
import yauzl from 'yauzl';

export const isZip = (bytes: Uint8Array) =>
	bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** A zip that cannot be read: what is wrong with it, in words. */
export class ZipError extends Error {
	override name = 'ZipError';
}

export interface ZipArchive {
	/** Entry names (files only), as stored. */
	readonly names: readonly string[];
	has(name: string): boolean;
	/** An entry's bytes; throws a ZipError for a damaged entry or one over the size limit. */
	read(name: string): Promise<Buffer>;
	close(): void;
}

/** Why a zip failed, without yauzl's internals: "invalid central directory file header signature: 0x…". */
const damaged = (error: unknown) =>
	new ZipError(`the zip archive is damaged or cut short (${error instanceof Error ? error.message : String(error)})`);

/**
 * Opens a zip held in memory. `maxBytes` bounds what is read out of it in all (uncompressed), so a small file
 * that inflates to gigabytes (a zip bomb) is refused rather than read.
 */
export function openZip(bytes: Uint8Array, maxBytes: number): Promise<ZipArchive> {
	let budget = maxBytes;
	const take = (entry: yauzl.Entry | undefined, name: string) => {
		if (entry && entry.uncompressedSize > budget) {
			throw new ZipError(
				`${name} inflates to ${(entry.uncompressedSize / 1024 / 1024).toFixed(1)} MB, over what one story may hold`,
			);
		}
		budget -= entry?.uncompressedSize ?? 0;
	};
	const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	return new Promise((resolve, reject) => {
		yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
			if (error || !zip) return reject(damaged(error));
			const entries = new Map<string, yauzl.Entry>();
			zip.on('error', (e) => reject(damaged(e)));
			zip.on('entry', (entry: yauzl.Entry) => {
				if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
				zip.readEntry();
			});
			zip.on('end', () =>
				resolve({
					names: [...entries.keys()],
					has: (name) => entries.has(name),
					read: async (name) => {
						take(entries.get(name), name);
						return readEntry(zip, entries.get(name), name);
					},
					close: () => zip.close(),
				}),
			);
			zip.readEntry();
		});
	});
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, name: string): Promise<Buffer> {
	if (!entry) return Promise.reject(new ZipError(`the archive has no file ${name}`));
	return new Promise((resolve, reject) => {
		zip.openReadStream(entry, (error, stream) => {
			if (error || !stream) return reject(damaged(error));
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('error', (e) => reject(damaged(e)));
			stream.on('end', () => resolve(Buffer.concat(chunks)));
		});
	});
}
