/**
 * The host name of a URL, or the text itself when it does not parse as one (error messages still
 * name something).
 *
 * hostOf('http://api.test:8080/x')   // 'api.test'
 * hostOf('not a url')                // 'not a url'
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
