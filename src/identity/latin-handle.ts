/**
 * Latin letters for a login name made from a display name in another script, so that
 * "فاطمة" becomes "fatma" and "Мулугета" or "ሙሉጌታ" "mulugeta" rather than "member2": a
 * name people recognise as theirs and can type on any phone. A readable approximation, not
 * a scholarly transliteration; the steward may always choose the handle instead.
 */

// Letters that Unicode decomposition (NFKD) does not reduce to a base Latin letter.
const LATIN: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', ı: 'i', þ: 'th', ð: 'd', ŋ: 'ng' };

// Arabic, with the Persian, Urdu and Kurdish letters. Short vowels are not written in Arabic;
// و and ي inside a word are mostly the long vowels "ou" and "i" (يوسف -> yousf, أمينة -> amina).
const ARABIC: Record<string, string> = {
  ا: 'a', أ: 'a', إ: 'i', آ: 'a', ٱ: 'a', ء: '', ؤ: 'u', ئ: 'i', ب: 'b', ت: 't', ث: 'th', ج: 'j', ح: 'h', خ: 'kh', د: 'd', ذ: 'dh',
  ر: 'r', ز: 'z', س: 's', ش: 'sh', ص: 's', ض: 'd', ط: 't', ظ: 'z', ع: 'a', غ: 'gh', ف: 'f', ق: 'q', ك: 'k', ل: 'l', م: 'm', ن: 'n',
  ه: 'h', ة: 'a', ى: 'a', پ: 'p', چ: 'ch', ژ: 'zh', گ: 'g', ک: 'k', ڤ: 'v', ڕ: 'r', ڵ: 'l', ۆ: 'o', ێ: 'e', ە: 'e', ھ: 'h',
};
const ARABIC_W = 'و';
const ARABIC_Y = new Set(['ي', 'ی']);

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'e', є: 'ye', ж: 'zh', з: 'z', и: 'i', і: 'i', ї: 'yi', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

const GREEK: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p',
  ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

// Ethiopic (Tigrinya, Amharic): rows of eight syllables, one consonant in seven vowel orders
// (and a w-form), from U+1200. The sixth order is the consonant alone, or a short ə.
const ETHIOPIC_CONSONANTS = [
  'h', 'l', 'h', 'm', 's', 'r', 's', 'sh', 'q', 'qw', 'qh', 'qhw', 'b', 'v', 't', 'ch', 'h', 'hw', 'n', 'ny', '', 'k', 'kw', 'kh', 'khw',
  'w', '', 'z', 'zh', 'y', 'd', 'dd', 'j', 'g', 'gw', 'gg', 't', 'ch', 'p', 'ts', 'ts', 'f', 'p',
];
const ETHIOPIC_VOWELS = ['e', 'u', 'i', 'a', 'e', '', 'o', 'wa'];

function ethiopic(code: number): string | null {
  if (code < 0x1200 || code >= 0x1200 + ETHIOPIC_CONSONANTS.length * 8) return null;
  const offset = code - 0x1200;
  return ETHIOPIC_CONSONANTS[Math.floor(offset / 8)] + ETHIOPIC_VOWELS[offset % 8];
}

function mapped(char: string): string | undefined {
  return LATIN[char] ?? ARABIC[char] ?? CYRILLIC[char] ?? GREEK[char] ?? ethiopic(char.codePointAt(0)!) ?? undefined;
}

/** The name in lower-case Latin letters, digits and the separators it had; other scripts pass unchanged. */
export function latinize(name: string): string {
  const chars = [...name.normalize('NFKC').toLowerCase()];
  let out = '';
  chars.forEach((char, i) => {
    const inWord = i > 0 && /[\p{L}\p{M}]/u.test(chars[i - 1]);
    if (char === ARABIC_W) out += inWord ? 'ou' : 'w';
    else if (ARABIC_Y.has(char)) out += inWord ? 'i' : 'y';
    // An accented letter is looked up by its base letter (ά -> α -> a).
    else out += mapped(char) ?? mapped(char.normalize('NFKD')[0]) ?? char;
  });
  // Accents, and Arabic's short-vowel signs, go.
  return out.normalize('NFKD').replace(/\p{M}/gu, '');
}
