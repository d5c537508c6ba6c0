// A Mesos v1 framework that speaks the scheduler API in protobuf only, as mesos-go and the C++/Java scheduler
// libraries do: protobufjs reads Mesos' own .proto files, every call is sent as application/x-protobuf and the
// SUBSCRIBE stream is asked for in protobuf alone. It launches one shell command on its first offer, acknowledges
// each update, tears itself down once the task has ended, and prints each event it read as one JSON line.
//
// usage: node framework.mjs URL TOKEN PROTO_ROOT NAME COMMAND
import https from 'node:https';
import path from 'node:path';
import protobuf from 'protobufjs';

const [url, token, protoRoot, name, command] = process.argv.slice(2);
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => path.join(protoRoot, target);
root.loadSync('mesos/v1/scheduler/scheduler.proto', { keepCase: true });
const Call = root.lookupType('mesos.v1.scheduler.Call');
const Event = root.lookupType('mesos.v1.scheduler.Event');
const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
const terminal = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

setTimeout(() => fail('no terminal update within 120 s'), 120_000).unref();

function fail(why) {
  console.error(`framework: ${why}`);
  process.exit(1);
}

function request(call, streamId) {
  const message = Call.fromObject(call);
  const problem = Call.verify(message);
  if (problem) fail(`not a Call: ${problem}`);
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/x-protobuf',
    Accept: 'application/x-protobuf',
  };
  if (streamId) headers['Mesos-Stream-Id'] = streamId;
  return { body: Call.encode(message).finish(), options: { method: 'POST', headers, agent } };
}

function send(call, streamId) {
  const { body, options } = request(call, streamId);
  return new Promise((resolve, reject) => {
    const req = https.request(`${url}/api/v1/scheduler`, options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 202) reject(new Error(`${call.type} answered ${res.statusCode}: ${text}`));
        else resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// RecordIO: each record is its length in decimal, a newline, then that many bytes of an Event.
function records(onRecord) {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const newline = buffer.indexOf(10);
      if (newline < 0) return;
      const length = Number(buffer.subarray(0, newline).toString());
      if (buffer.length < newline + 1 + length) return;
      onRecord(buffer.subarray(newline + 1, newline + 1 + length));
      buffer = buffer.subarray(newline + 1 + length);
    }
  };
}

const framework = { id: undefined, streamId: undefined, launched: false };
const subscribe = request({
  type: 'SUBSCRIBE',
  subscribe: { framework_info: { user: 'root', name, failover_timeout: 0 } },
});
const stream = https.request(`${url}/api/v1/scheduler`, subscribe.options, (res) => {
  if (res.statusCode !== 200) fail(`SUBSCRIBE answered ${res.statusCode}`);
  if (res.headers['content-type'] !== 'application/x-protobuf') fail(`stream of ${res.headers['content-type']}`);
  framework.streamId = res.headers['mesos-stream-id'];
  // Events are handled one at a time, in the order the stream gave them.
  let handled = Promise.resolve();
  res.on('data', records((bytes) => {
    // decode refuses a message that lacks a required field, as Mesos' own libraries do.
    const event = Event.decode(bytes);
    console.log(JSON.stringify(Event.toObject(event, { enums: String, longs: String, bytes: String })));
    handled = handled.then(() => handle(event)).catch((error) => fail(error.message));
  }));
});
stream.on('error', (error) => fail(error.message));
stream.end(subscribe.body);

async function handle(event) {
  const type = Event.lookupEnum('Type').valuesById[event.type];
  const { streamId } = framework;
  const framework_id = { value: framework.id };
  if (type === 'SUBSCRIBED') {
    framework.id = event.subscribed.framework_id.value;
  } else if (type === 'OFFERS') {
    const [offer, ...rest] = event.offers.offers;
    if (rest.length > 0) {
      await send({ framework_id, type: 'DECLINE', decline: { offer_ids: rest.map((o) => o.id) } }, streamId);
    }
    if (framework.launched) {
      await send({ framework_id, type: 'DECLINE', decline: { offer_ids: [offer.id] } }, streamId);
      return;
    }
    framework.launched = true;
    await send({
      framework_id,
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{
          type: 'LAUNCH',
          launch: {
            task_infos: [{
              name: 'hello',
              task_id: { value: `${name}-1` },
              agent_id: offer.agent_id,
              resources: [
                { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
                { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
              ],
              command: { value: command, shell: true },
            }],
          },
        }],
        filters: { refuse_seconds: 1 },
      },
    }, streamId);
  } else if (type === 'UPDATE') {
    const status = event.update.status;
    if (status.uuid && status.uuid.length > 0) {
      await send({
        framework_id,
        type: 'ACKNOWLEDGE',
        acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
      }, streamId);
    }
    const state = root.lookupEnum('mesos.v1.TaskState').valuesById[status.state];
    if (terminal.has(state)) {
      await send({ framework_id, type: 'TEARDOWN' }, streamId);
      process.exit(0);
    }
  } else if (type === 'ERROR') {
    fail(`ERROR event: ${event.error.message}`);
  }
}
