import { describe, expect, it } from 'vitest';
import { handoverPlaybook } from '../../../test/support/handover-playbook.js';
import { inquiryRuleOf, renderReply } from './after-closeout.js';
import { parsePlaybook } from './parse-playbook.js';

describe("a playbook's after_closeout section", () => {
  it('compiles as written; the rule fills in the defaults; the reply fills in its placeholders', () => {
    const parsed = parsePlaybook(
      handoverPlaybook(
        'after_closeout:\n  reply_text: "Dear {{ client_name }}, meet {{service_owner_name}}."\n',
      ),
      'handover.yaml',
    );
    expect(parsed.ok).toBe(true);
    const def = parsed.ok ? parsed.playbook.afterCloseout : undefined;
    expect(def).toEqual({ replyText: 'Dear {{ client_name }}, meet {{service_owner_name}}.' });
    const rule = inquiryRuleOf(def!);
    expect(rule).toEqual({
      senders: 'account_contacts',
      beforeCloseout: 'leave_with_lead',
      taskDue: '1 business days after received',
      replySubject: 'Re: {{subject}}',
      replyText: def!.replyText,
    });
    const values = {
      client_name: 'Ada',
      service_owner_name: 'Sid',
      service_owner_email: 'sid@x.test',
      implementation_lead_name: 'Lee',
      engagement_name: 'Eng',
      organisation_name: 'Org',
      subject: 'Help',
    };
    expect(renderReply(rule.replyText, values)).toBe('Dear Ada, meet Sid.');
    expect(renderReply(rule.replySubject, values)).toBe('Re: Help');
  });

  it('names an unknown placeholder, a due time not after received, a bad value and a missing reply', () => {
    const parsed = parsePlaybook(
      handoverPlaybook(
        'after_closeout:\n  senders: everyone\n  task_due: 2 days after accepted\n  reply_subject: "Hi {{clent_name}}"\n  reply_text: "x"\n',
      ),
      'handover.yaml',
    );
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    const at = (path: string) => errors.find((e) => e.path === path)?.message;
    expect(at('/after_closeout/senders')).toContain('must be one of: account_contacts, account_domain');
    expect(at('/after_closeout/task_due')).toContain('must count after "received"');
    expect(at('/after_closeout/reply_subject')).toContain(
      'unknown placeholder "{{clent_name}}" (did you mean "{{client_name}}"?)',
    );
    const missing = parsePlaybook(handoverPlaybook('after_closeout:\n  senders: account_domain\n'), 'h.yaml');
    expect(missing.ok ? [] : missing.errors.map((e) => e.message)).toContain(
      'missing required key "reply_text"',
    );
  });
});
