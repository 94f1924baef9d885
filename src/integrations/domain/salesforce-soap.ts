/**
 * Salesforce Outbound Messages (docs/integrations-inbound.md): a SOAP 1.1 envelope holding
 * `notifications` (the sending organisation, up to 100 `Notification`s each with an `sObject`),
 * answered with the `notificationsResponse` whose `Ack` is true, or Salesforce resends for a day.
 *
 * The XML is read by the small reader below, which knows elements, attributes, text, character
 * references and CDATA, and refuses a DOCTYPE (so no entity can expand or reach outside).
 */

export interface XmlElement {
  /** The local name (the namespace prefix dropped). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlError(`bad character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[ref];
    if (value === undefined) throw new XmlError(`unknown entity ${whole}`);
    return value;
  });
}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** Parses an XML document into its root element; throws `XmlError` on anything malformed. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (why: string): never => {
    throw new XmlError(`${why} at character ${i}`);
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > i) {
      const text = source.slice(i, textEnd);
      if (stack.length) stack[stack.length - 1]!.text += decode(text);
      else if (text.trim()) fail('text outside the root element');
      i = textEnd;
      continue;
    }
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i);
      if (end === -1) fail('unterminated declaration');
      i = end + 2;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end === -1) fail('unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end === -1 || !stack.length) fail('misplaced CDATA');
      stack[stack.length - 1]!.text += source.slice(i + 9, end);
      i = end + 3;
    } else if (source.startsWith('<!', i)) {
      fail('a DOCTYPE or declaration is not accepted');
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end === -1) fail('unterminated end tag');
      const name = localName(source.slice(i + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) fail(`end tag </${name}> does not close <${open?.name ?? ''}>`);
      i = end + 1;
    } else {
      const match =
        /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
          source.slice(i, i + 4096),
        );
      if (!match) fail('malformed start tag');
      const [whole, qualified, attrs, selfClosing] = match as unknown as [string, string, string, string];
      const element: XmlElement = { name: localName(qualified), attributes: {}, children: [], text: '' };
      for (const a of attrs.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
        element.attributes[a[1]!] = decode(a[2] ?? a[3] ?? '');
      if (stack.length) stack[stack.length - 1]!.children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      if (stack.length > 32) fail('elements nested too deep');
      i += whole.length;
    }
  }
  if (stack.length || !root) throw new XmlError('the document ends before its root element closes');
  return root;
}

const child = (element: XmlElement | undefined, name: string) =>
  element?.children.find((c) => c.name === name);

/** One notification: its id (Salesforce's, unique per message) and the sObject's fields by name. */
export interface SalesforceNotification {
  id: string;
  objectType: string;
  fields: Record<string, string | null>;
}

export interface OutboundMessage {
  organizationId: string;
  notifications: SalesforceNotification[];
}

/** Reads an Outbound Message; throws `XmlError` naming what is missing. */
export function readOutboundMessage(xml: string): OutboundMessage {
  const envelope = parseXml(xml);
  if (envelope.name !== 'Envelope') throw new XmlError('the root element is not a SOAP Envelope');
  const notifications = child(child(envelope, 'Body'), 'notifications');
  if (!notifications) throw new XmlError('the SOAP Body holds no notifications element');
  const organizationId = child(notifications, 'OrganizationId')?.text.trim();
  if (!organizationId) throw new XmlError('notifications has no OrganizationId');
  const list = notifications.children.filter((c) => c.name === 'Notification');
  if (list.length > 100) throw new XmlError('more than 100 notifications in one message');
  return {
    organizationId,
    notifications: list.map((n, index) => {
      const id = child(n, 'Id')?.text.trim();
      const sObject = child(n, 'sObject');
      if (!id || !sObject) throw new XmlError(`Notification ${index + 1} has no Id or no sObject`);
      const type = Object.entries(sObject.attributes).find(([k]) => localName(k) === 'type')?.[1] ?? '';
      const fields: Record<string, string | null> = {};
      for (const f of sObject.children) {
        const nil = Object.entries(f.attributes).some(([k, v]) => localName(k) === 'nil' && v === 'true');
        fields[f.name] = nil ? null : f.text.trim();
      }
      return { id, objectType: localName(type), fields };
    }),
  };
}

/** The answer Salesforce waits for: without it, it resends the message for up to a day. */
export const OUTBOUND_MESSAGE_ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body>
  <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
   <Ack>true</Ack>
  </notificationsResponse>
 </soapenv:Body>
</soapenv:Envelope>
`;
