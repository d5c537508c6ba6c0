// One call of Mesos' v1 operator API in protobuf, as the mesos CLI and operators' tools make it: protobufjs reads
// Mesos' own master.proto, the call goes as application/x-protobuf, the answer is asked for in protobuf alone and
// decoded (which refuses an answer without a required field), then printed as one JSON line.
//
// usage: node operator.mjs URL TOKEN PROTO_ROOT TYPE
import https from 'node:https';
import path from 'node:path';
import protobuf from 'protobufjs';

const [url, token, protoRoot, type] = process.argv.slice(2);
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : path.join(protoRoot, target));
root.loadSync('mesos/v1/master/master.proto', { keepCase: true });
const Call = root.lookupType('mesos.v1.master.Call');
const Response = root.lookupType('mesos.v1.master.Response');

const body = Call.encode(Call.fromObject({ type })).finish();
const agent = new https.Agent({ rejectUnauthorized: false });
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-protobuf', Accept: 'application/x-protobuf' };
const req = https.request(`${url}/api/v1`, { method: 'POST', headers, agent }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const bytes = Buffer.concat(chunks);
    if (res.statusCode !== 200) {
      console.error(`${type} answered ${res.statusCode}: ${bytes.toString()}`);
      process.exit(1);
    }
    if (res.headers['content-type'] !== 'application/x-protobuf') {
      console.error(`${type} answered in ${res.headers['content-type']}`);
      process.exit(1);
    }
    console.log(JSON.stringify(Response.toObject(Response.decode(bytes), { enums: String, longs: String, bytes: String })));
  });
});
req.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
req.end(body);
