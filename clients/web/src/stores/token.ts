// Where the sign-in token is kept: its own module, with no imports, so that firstPage.ts can read it before
// anything else of the entry (Vue included) has been evaluated.
export const TOKEN_KEY = 'parkcloud.token'

export function storedToken(): string | null {
  return typeof localStorage === 'undefined' ? null : localStorage.getItem(TOKEN_KEY)
}
