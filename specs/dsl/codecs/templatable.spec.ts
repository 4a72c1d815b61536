import { expect } from 'chai';
import { boundedNumber } from '../../../lib/dsl/codecs/bounded-number.js';
import { Duration } from '../../../lib/dsl/codecs/duration.js';
import { isTemplate, orTemplateString, templatable } from '../../../lib/dsl/codecs/templatable.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

describe('dsl/codecs/templatable', () => {
  const Attempts = templatable(boundedNumber({ label: 'max_attempts', integer: true, min: 1 }));

  it('keeps a templated string as a Template to render later', () => {
    expect(decodeOk(Attempts, '{{ .vars.n }}')).to.deep.equal({ _tag: 'Template', source: '{{ .vars.n }}' });
    expect(decodeOk(templatable(Duration), '{{ .vars.timeout }}s')).to.deep.equal({ _tag: 'Template', source: '{{ .vars.timeout }}s' });
  });

  it('decodes anything else with the wrapped codec, errors included', () => {
    expect(decodeOk(Attempts, 5)).to.equal(5);
    expect(decodeMessages(Attempts, 0)).to.deep.equal(['max_attempts must be at least 1, found 0']);
    expect(Attempts.decode('5')._tag).to.equal('Left');
  });

  it('does not take an escaped template for a template', () => {
    expect(Attempts.decode('\\{{ n }}')._tag).to.equal('Left');
  });

  it('recognises decoded templates', () => {
    expect(isTemplate({ _tag: 'Template', source: '{{ a }}' })).to.equal(true);
    expect(isTemplate('{{ a }}')).to.equal(false);
    expect(isTemplate(null)).to.equal(false);
  });

  it('orTemplateString keeps the raw string (for fields that keep their YAML type)', () => {
    const Status = orTemplateString(boundedNumber({ label: 'status', integer: true, min: 100, max: 599 }));
    expect(decodeOk(Status, '{{ code }}')).to.equal('{{ code }}');
    expect(decodeOk(Status, 200)).to.equal(200);
    expect(Status.decode('200')._tag).to.equal('Left');
  });
});
