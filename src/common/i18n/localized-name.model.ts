import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';

export const NAMES_ARG = 'The name in other languages, all of them: they replace those there are (null keeps them).';

@ObjectType('LocalizedName', { description: 'A name in another language than the house’s own.' })
export class LocalizedNameModel {
  @Field({ description: 'BCP 47 language tag: en, ar, ps, so...' }) lang: string;
  @Field() text: string;
}

@InputType('LocalizedNameInput')
export class LocalizedNameInput {
  @Field({ description: 'BCP 47 language tag: en, ar, ps, so...' }) @IsString() @Length(2, 35) lang: string;
  @Field() @IsString() @Length(1, 200) text: string;
}
