import { Module } from '@nestjs/common';
import { EventStream } from './event-stream.service';
import { LiveGateway } from './live.gateway';

@Module({
  providers: [EventStream, LiveGateway],
  exports: [EventStream],
})
export class RealtimeModule {}
