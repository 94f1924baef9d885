/**
 * The longest search text the API takes (a name, a title or an e-mail address, not a document),
 * so every search costs a bounded scan. The web UI's search box stops there too.
 */
export const MAX_SEARCH_TEXT = 100;
