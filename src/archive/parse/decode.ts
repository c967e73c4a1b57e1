export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * The UTF-16 byte order the bytes start with a mark for (what Windows Notepad writes as "Unicode"), or null. FF FE
 * 00 00 is UTF-32's mark, left alone (a UTF-16 text never starts with a NUL character).
 */
export function utf16ByteOrder(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
	if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) return 'utf-16le';
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
	return null;
}

/** UTF-16 bytes (after their mark) to text; big-endian by swapping to little-endian, which every Node decodes. */
function decodeUtf16(bytes: Uint8Array, order: 'utf-16le' | 'utf-16be'): string {
	let body = bytes.subarray(2);
	if (order === 'utf-16be') {
		const swapped = new Uint8Array(body.length);
		for (let i = 0; i + 1 < body.length; i += 2) {
			swapped[i] = body[i + 1] as number;
			swapped[i + 1] = body[i] as number;
		}
		body = swapped;
	}
	return new TextDecoder('utf-16le').decode(body);
}

/**
 * Bytes to text: UTF-16 when they start with its byte order mark, else UTF-8 when the bytes are valid UTF-8, else
 * Windows-1252 (what old archives were written in).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
	const utf16 = utf16ByteOrder(bytes);
	if (utf16) return { text: decodeUtf16(bytes, utf16), encoding: utf16 };
	let text: string;
	let encoding: TextEncoding = 'utf-8';
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		text = decodeWindows1252(bytes);
		encoding = 'windows-1252';
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return { text, encoding };
}

/**
 * Why these bytes are not a text file, or null when they are. A NUL byte or many control characters in the
 * first 8 KB mean a binary file (an image, a database) that was put in the archive folder by mistake. Zips
 * (EPUBs) are told apart before this check, by their signature. UTF-16 text (marked by its BOM) has a NUL byte
 * in every ASCII character: its first 4 KB characters are checked instead.
 */
export function binaryReason(bytes: Uint8Array): string | null {
	if (utf16ByteOrder(bytes)) {
		const text = decodeUtf16(bytes.subarray(0, 8194), utf16ByteOrder(bytes) as 'utf-16le' | 'utf-16be');
		return binaryReason(new TextEncoder().encode(text));
	}
	const sample = bytes.subarray(0, 8192);
	let control = 0;
	// An index loop: for…of over a typed array is several times slower, and this runs on every file.
	for (let i = 0; i < sample.length; i++) {
		const byte = sample[i] as number;
		if (byte === 0) return `it is a binary file (it contains NUL bytes), not a story in a format fic-archive reads`;
		if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
	}
	return control > sample.length / 100 + 2
		? 'it is a binary file (many control characters), not a story in a format fic-archive reads'
		: null;
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest of the code page is Latin-1). */
const CP1252_HIGH =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node's TextDecoder reads "windows-1252" as Latin-1, which turns smart quotes into control characters; this
 * decodes the real code page.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 8192) {
		const chunk = bytes.subarray(i, i + 8192);
		out += String.fromCharCode(
			...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)),
		);
	}
	return out;
}
