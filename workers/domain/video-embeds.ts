/**
 * The only video providers a page may embed. The block stores a provider and an id, never a URL:
 * the iframe URL is built here from an id that matched the provider's pattern, so a page cannot
 * frame anything else, and the CSP `frame-src` lists exactly these origins.
 */
export const VIDEO_PROVIDERS = ['youtube', 'vimeo', 'wistia'] as const;
export type VideoProvider = (typeof VIDEO_PROVIDERS)[number];

interface ProviderRule {
  /** What a valid id looks like for this provider. */
  idPattern: RegExp;
  /** The origin the iframe loads from (for CSP `frame-src`). */
  origin: string;
  embedUrl(id: string): string;
}

const PROVIDERS: Record<VideoProvider, ProviderRule> = {
  // youtube-nocookie: no tracking cookies until the visitor plays the video.
  youtube: {
    idPattern: /^[A-Za-z0-9_-]{11}$/,
    origin: 'https://www.youtube-nocookie.com',
    embedUrl: (id) => `https://www.youtube-nocookie.com/embed/${id}`,
  },
  vimeo: {
    idPattern: /^[0-9]{6,12}$/,
    origin: 'https://player.vimeo.com',
    embedUrl: (id) => `https://player.vimeo.com/video/${id}`,
  },
  wistia: {
    idPattern: /^[a-z0-9]{10}$/,
    origin: 'https://fast.wistia.net',
    embedUrl: (id) => `https://fast.wistia.net/embed/iframe/${id}`,
  },
};

// Own keys only: a provider name like "constructor" must not reach Object.prototype.
function ruleFor(provider: string): ProviderRule | undefined {
  return Object.hasOwn(PROVIDERS, provider) ? PROVIDERS[provider as VideoProvider] : undefined;
}

export function isValidVideoId(provider: string, id: string): boolean {
  return ruleFor(provider)?.idPattern.test(id) ?? false;
}

/** The iframe `src` for a video, or null when the provider/id pair is not allowed. */
export function videoEmbedUrl(provider: string, id: string): string | null {
  const rule = ruleFor(provider);
  return rule && rule.idPattern.test(id) ? rule.embedUrl(id) : null;
}

export function videoFrameOrigin(provider: VideoProvider): string {
  return PROVIDERS[provider].origin;
}
