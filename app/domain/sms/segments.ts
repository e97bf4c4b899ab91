/**
 * How many SMS segments a text costs, as carriers and Twilio count them. A text made only of the
 * GSM-7 alphabet is sent 7 bits a character: 160 characters in one segment, else 153 a segment
 * (the rest is the header that joins them); the extension table's characters ({ } [ ] ~ \ | ^ €
 * and the form feed) take two. Any other character (Korean, Japanese, Persian, most emoji) sends
 * the whole text as UCS-2: 70 in one segment, else 67 a segment, counted in UTF-16 units, so an
 * emoji outside the basic plane takes two. Twilio refuses a body over 1,600 characters.
 */

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡" +
  "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export const MAX_SMS_BODY = 1600;

export interface SegmentCount {
  encoding: "GSM-7" | "UCS-2";
  /** Characters as the encoding counts them (GSM-7 septets, UCS-2 code units). */
  units: number;
  segments: number;
  /** Units left before the next segment starts. */
  remaining: number;
}

export function countSegments(text: string): SegmentCount {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return tally("GSM-7", septets, 160, 153);
  return tally("UCS-2", text.length, 70, 67);
}

function tally(encoding: SegmentCount["encoding"], units: number, single: number, part: number): SegmentCount {
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, remaining: single - units };
  const segments = Math.ceil(units / part);
  return { encoding, units, segments, remaining: segments * part - units };
}
