/** Bytes to text: UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what old archives were written in). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
	let text: string;
	let encoding: 'utf-8' | 'windows-1252' = 'utf-8';
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		text = new TextDecoder('windows-1252').decode(bytes);
		encoding = 'windows-1252';
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return { text, encoding };
}

/**
 * Why these bytes are not a text file, or null when they are. A NUL byte or many control characters in the
 * first 8 KB mean a binary file (an image, a zip, a database) that was put in the archive folder by mistake.
 */
export function binaryReason(bytes: Uint8Array): string | null {
	const sample = bytes.subarray(0, 8192);
	if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) {
		return 'it is a zip archive (EPUB and other packaged formats are not supported yet), not a plain-text story';
	}
	let control = 0;
	for (const byte of sample) {
		if (byte === 0) return 'it is a binary file (it contains NUL bytes), not a plain-text story';
		if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
	}
	return control > sample.length / 100 + 2
		? 'it is a binary file (many control characters), not a plain-text story'
		: null;
}
