import { expect } from 'chai';
import { MAX_PARTS, readMultipart } from '../../lib/openapi/read-multipart.js';

const TYPE = 'multipart/form-data; boundary=XyZ';

describe('readMultipart', () => {
  it('reads fields and files, CRLF line breaks as the RFC writes them', () => {
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="title"',
      '',
      'Hello',
      '--XyZ',
      'Content-Disposition: form-data; name="file"; filename="a b.txt"',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'line 1\r\nline 2',
      '--XyZ--',
      '',
    ].join('\r\n');
    expect(readMultipart(body, TYPE)).to.deep.equal({
      _tag: 'Right',
      right: [
        { name: 'title', filename: undefined, contentType: undefined, content: 'Hello' },
        { name: 'file', filename: 'a b.txt', contentType: 'text/plain', content: 'line 1\r\nline 2' },
      ],
    });
  });

  it('reads LF line breaks (a YAML string), a quoted boundary, and an empty body of no parts', () => {
    const body = '--a;b\nContent-Disposition: form-data; name="n"\n\n1\n--a;b--\n';
    expect(readMultipart(body, 'multipart/form-data; boundary="a;b"')).to.deep.equal({
      _tag: 'Right',
      right: [{ name: 'n', filename: undefined, contentType: undefined, content: '1' }],
    });
    expect(readMultipart('--XyZ--\r\n', TYPE)).to.deep.equal({ _tag: 'Right', right: [] });
  });

  it('says why a body is not multipart: no boundary, no opening line, no closing line, a part without a name', () => {
    expect(readMultipart('x', 'multipart/form-data')).to.deep.equal({ _tag: 'Left', left: 'its Content-Type has no boundary parameter' });
    expect(readMultipart('title=Hi', TYPE)).to.deep.equal({ _tag: 'Left', left: 'no --XyZ line opens it' });
    expect(readMultipart('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n', TYPE)).to.deep.equal({
      _tag: 'Left',
      left: 'no closing --XyZ-- line ends it',
    });
    expect(readMultipart('--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--', TYPE)).to.deep.equal({
      _tag: 'Left',
      left: 'part 1 has no Content-Disposition: form-data; name="..." header',
    });
  });

  it('refuses a body of more parts than it reads, without walking them all', () => {
    const part = '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n\r\n';
    const r = readMultipart(`${part.repeat(MAX_PARTS + 1)}--XyZ--`, TYPE);
    expect(r).to.deep.equal({ _tag: 'Left', left: `more than ${MAX_PARTS} parts` });
  });
});
