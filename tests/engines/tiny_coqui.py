"""A tiny Coqui VITS model built at test time: random weights (~430k
parameters), saved as a checkpoint plus config.json exactly as Coqui's
trainer leaves them, so the engine loads it as it would a podcaster's model.
Its speech is noise; what the tests exercise is the real loading and
synthesis path."""

from __future__ import annotations

import json
from pathlib import Path

RATE = 16000


def build(folder: Path, speakers: tuple[str, ...] = (), seed: int = 0) -> Path:
    import torch
    from TTS.tts.configs.shared_configs import CharactersConfig
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    folder.mkdir(parents=True, exist_ok=True)
    args = VitsArgs(
        hidden_channels=32,
        hidden_channels_ffn_text_encoder=64,
        num_layers_text_encoder=2,
        num_layers_posterior_encoder=2,
        num_layers_flow=2,
        use_sdp=False,
        upsample_initial_channel_decoder=32,
        resblock_kernel_sizes_decoder=[3],
        resblock_dilation_sizes_decoder=[[1, 3, 5]],
        init_discriminator=False,
        use_speaker_embedding=bool(speakers),
        speaker_embedding_channels=16,
    )
    characters = CharactersConfig(
        characters_class="TTS.tts.models.vits.VitsCharacters",
        pad="_",
        eos="",
        bos="",
        blank=None,
        characters="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        punctuations=" !'(),-.:;?\"",
    )
    config = VitsConfig(
        model_args=args,
        use_phonemes=False,
        text_cleaner="english_cleaners",
        characters=characters,
        add_blank=True,
        use_speaker_embedding=bool(speakers),
    )
    config.audio.sample_rate = RATE
    if speakers:
        speakers_file = folder / "speakers.json"
        speakers_file.write_text(json.dumps({name: i for i, name in enumerate(speakers)}))
        config.speakers_file = config.model_args.speakers_file = str(speakers_file)
    torch.manual_seed(seed)
    model = Vits(config)
    torch.save({"model": model.state_dict(), "config": config.to_dict()}, folder / "model.pth")
    config.save_json(str(folder / "config.json"))
    return folder
